# Variables of NHS England's Terraform MESH module (terraform-aws-mesh-client), with the same names, types and
# meanings, so its `module "mesh"` block works here with only `source` changed. Where a default differs, the
# description says why. MeshGate's own variables follow at the end of this file.

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource's name; resources are named \"{name_prefix}-mesh...\" and settings are read under /{name_prefix}-mesh/mesh/, as the Terraform MESH module does"
}

variable "account_id" {
  type        = string
  default     = null
  description = "AWS account id; read from the caller's identity when not given"
}

variable "region" {
  type        = string
  default     = "eu-west-2"
  description = "AWS region of the deployment, used in resource ARNs; must be the provider's region"
}

variable "mesh_env" {
  type        = string
  description = "MESH environment: integration or production (MESH's URL and egress addresses), or local"

  validation {
    condition     = contains(["local", "integration", "production"], var.mesh_env)
    error_message = "mesh_env must be one of local/integration/production"
  }
}

variable "verify_ssl" {
  type        = bool
  default     = true
  description = "if false, MESH's server certificate is not verified (never in production)"
}

variable "verify_checks_common_name" {
  type        = bool
  default     = true
  description = "if true, the server certificate's name is checked against MESH's host name"
}

variable "use_secrets_manager" {
  type        = bool
  default     = false
  description = "read the client key, shared key and mailbox passwords from Secrets Manager rather than SSM Parameter Store (same names)"
}

variable "use_sender_filename" {
  type        = bool
  default     = false
  description = "if true, a received message is stored under its mex-filename rather than {message_id}.dat"
}

variable "use_s3_key_for_mex_filename" {
  type        = bool
  default     = false
  description = "not recommended: if true, an outbound message's mex-filename is the base name of its S3 key"
}

variable "use_legacy_inbound_location" {
  type        = bool
  default     = false
  description = "if true, each mailbox's INBOUND_BUCKET / INBOUND_FOLDER parameters choose where received messages go (the folder must be in this module's bucket under inbound/, which is what the functions may write)"
}

variable "chunk_size" {
  type        = number
  default     = 20 * 1024 * 1024
  description = "size of the chunks a large message is sent in, before compression"

  validation {
    condition     = 0 < var.chunk_size
    error_message = "must be greater than zero"
  }
}

variable "crumb_size" {
  type        = number
  default     = null
  description = "advanced: size of the read and write buffer for S3 and MESH (at most chunk_size); null for MeshGate's default"

  validation {
    condition     = var.crumb_size == null || 0 < coalesce(var.crumb_size, 1)
    error_message = "must be null or between zero and chunk_size"
  }
}

variable "never_compress" {
  type        = bool
  default     = false
  description = "advanced: if true, nothing is compressed before sending, whatever mex-content-compress or compress_threshold say"
}

variable "compress_threshold" {
  type        = number
  default     = 20 * 1024 * 1024
  description = "advanced: the smallest file that is compressed before sending; zero compresses everything"

  validation {
    condition     = 0 <= var.compress_threshold
    error_message = "must be between zero and chunk_size"
  }
}

variable "vpc_id" {
  type        = string
  default     = ""
  description = "if set, the functions run in this VPC and reach AWS services through the VPC endpoints given below"
}

variable "subnet_ids" {
  type        = set(string)
  default     = []
  description = "subnets the functions attach to when vpc_id is set (the Terraform MESH module required this even outside a VPC)"
}

variable "mailboxes" {
  description = "deprecated in the Terraform MESH module: outbound mappings by mailbox; accepted, and read by the functions from SSM as before (/{name_prefix}-mesh/mesh/mapping/...), not created here"
  type = list(object({
    id = string
    outbound_mappings = list(object({
      dest_mailbox = string
      workflow_id  = string
    }))
  }))
  default = []
}

variable "mailbox_ids" {
  type        = set(string)
  description = "your MESH mailbox ids; each is polled on get_messages_schedule and handshaken on handshake_schedule"
}

variable "cloudwatch_retention_in_days" {
  type        = number
  default     = 365
  description = "how many days the functions' CloudWatch logs are kept"
}

variable "cloudtrail_cloudwatch_log_retention_in_days" {
  type        = number
  default     = 30
  description = "no longer needed: accepted so existing module blocks still apply; there is no CloudTrail trail to keep logs of"
}

variable "s3logs_retention_in_days" {
  type        = number
  default     = 7
  description = "how many days the bucket's server access logs are kept"

  validation {
    condition     = var.s3logs_retention_in_days >= 1
    error_message = "The s3logs_retention_in_days value must be greater than or equal to 1."
  }
}

variable "get_messages_enabled" {
  type        = bool
  default     = true
  description = "if false, the inbox polling schedules are disabled; almost never wanted, or your mailboxes may overflow"
}

variable "mesh_s3_object_expiry_in_days" {
  type        = number
  default     = 60
  description = "when mesh_s3_object_expiry_enabled, objects expire this many days after creation and their noncurrent versions this many days after that"
}

variable "mesh_s3_object_expiry_enabled" {
  type        = bool
  default     = false
  description = "recommended: expire the bucket's objects after mesh_s3_object_expiry_in_days, keeping long-term copies elsewhere"
}

variable "cloudtrail_enabled" {
  type        = bool
  default     = true
  description = "no longer needed: accepted so existing module blocks still apply, and ignored; new objects under outbound/ reach the send function through S3's EventBridge notifications and SQS, with no CloudTrail trail to pay for"
}

variable "get_message_max_concurrency" {
  type        = number
  default     = 1
  description = "the most messages downloaded at once: the fetch function's reserved concurrency (and its queue's maximum concurrency from 2 up)"

  validation {
    condition     = var.get_message_max_concurrency >= 1
    error_message = "must be at least 1"
  }
}

variable "get_messages_schedule" {
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
  type        = string
  default     = "rate(1 minute)"
  description = "how often each mailbox's inbox is listed (EventBridge Scheduler expression)"
}

variable "get_messages_page_limit" {
  type        = number
  default     = 500
  description = "how many message ids one inbox listing asks MESH for; every page is read"
}

variable "handshake_schedule" {
  # https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
  type        = string
  default     = "rate(1 hour)"
  description = "how often each mailbox handshakes with MESH (EventBridge Scheduler expression); MESH asks for no more than one an hour"
}

variable "fetch_message_ephemeral_storage_size" {
  type        = number
  default     = 512
  description = "the fetch function's /tmp in MiB; MeshGate streams each part to S3 and buffers nothing on disk, so the Lambda minimum (512) is enough (the Terraform MESH module's default was 10240)"

  validation {
    condition     = var.fetch_message_ephemeral_storage_size >= 512 && var.fetch_message_ephemeral_storage_size <= 10240
    error_message = "must be between 512 and 10240 (MiB)"
  }
}

variable "aws_s3_endpoint_prefix_list_id" {
  type        = string
  default     = ""
  description = "in a VPC: the prefix list of the S3 gateway endpoint"
}

variable "aws_ssm_endpoint_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the SSM interface endpoint"
}

variable "aws_sfn_endpoint_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the Step Functions endpoint; MeshGate uses no Step Functions, egress to it is allowed so existing networks keep working"
}

variable "aws_logs_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the CloudWatch Logs interface endpoint"
}

variable "aws_kms_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the KMS interface endpoint"
}

variable "aws_lambda_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the Lambda interface endpoint"
}

variable "aws_secrets_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the Secrets Manager interface endpoint"
}

variable "fetch_message_lambda_memory_size" {
  type        = number
  default     = 512
  description = "memory of the fetch function in MiB; 512 holds one chunk plus one part of a message of any size (the Terraform MESH module's default was 128, too small for Java)"
}

variable "send_message_lambda_memory_size" {
  type        = number
  default     = 512
  description = "memory of the send function in MiB; 512 holds one chunk plus one part of a message of any size (the Terraform MESH module's default was 128, too small for Java)"
}

variable "permissions_boundary_arn" {
  type        = string
  default     = null
  description = "ARN of an IAM policy used as the permissions boundary of every role this module creates"
}

# --- MeshGate's own variables

variable "lambda_artifact" {
  type        = string
  default     = "../../../meshgate-aws/target/meshgate-aws-lambda.zip"
  description = "the functions' code, built by ./mvnw package; a relative path is taken from this module's directory"
}

variable "lambda_memory_size" {
  type        = number
  default     = 512
  description = "memory of the poll, handshake and track functions in MiB"
}

variable "lambda_timeout" {
  type        = number
  default     = 900
  description = "timeout of every function in seconds; send and fetch stop at a chunk boundary before it and continue in the next invocation"
}

variable "tracking_schedule" {
  type        = string
  default     = "rate(5 minutes)"
  description = "how often the delivery status of sent messages is checked (EventBridge Scheduler expression)"
}

variable "ledger_record_ttl_days" {
  type        = number
  default     = 90
  description = "how long a finished message's ledger record is kept before DynamoDB's TTL removes it; passed to the functions, which write expires_at"
}

variable "alarm_actions" {
  type        = list(string)
  default     = []
  description = "ARNs (e.g. SNS topics) notified when a dead-letter queue holds a message"
}

variable "secrets_kms_key_arns" {
  type        = list(string)
  default     = []
  description = "customer-managed KMS keys that encrypt your MESH parameters or secrets (e.g. the Terraform MESH module's key after a migration); AWS-managed keys need nothing here"
}

variable "event_bus_name" {
  type        = string
  default     = ""
  description = "if set, the functions publish message events (received, sent, delivery status) to this EventBridge bus"
}

variable "aws_dynamodb_endpoint_prefix_list_id" {
  type        = string
  default     = ""
  description = "in a VPC: the prefix list of the DynamoDB gateway endpoint (the ledger)"
}

variable "aws_sqs_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the SQS interface endpoint (poll hands messages to fetch; send and fetch queue their continuations)"
}

variable "aws_events_endpoints_sg_id" {
  type        = string
  default     = ""
  description = "in a VPC: the security group of the EventBridge interface endpoint, when event_bus_name is set"
}
