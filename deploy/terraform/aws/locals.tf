locals {
  # The Terraform MESH module's naming: resources are "{name_prefix}-mesh...", its settings live under
  # /{name_prefix}-mesh/mesh/ in SSM Parameter Store (or Secrets Manager), so an existing deployment's parameters are
  # read where they are:
  #   {settings_path}/MESH_URL, MESH_SHARED_KEY, MESH_CA_CERT, MESH_CLIENT_CERT, MESH_CLIENT_KEY
  #   {settings_path}/mailboxes/{mailbox_id}/MAILBOX_PASSWORD (and INBOUND_BUCKET, INBOUND_FOLDER)
  #   {settings_path}/mapping/{bucket}/{folder}/src_mailbox, dest_mailbox, workflow_id (outbound mappings)
  # With use_secrets_manager, MESH_SHARED_KEY, MESH_CLIENT_KEY and MAILBOX_PASSWORD are secrets of the same names.
  # The functions only read these (they never write settings); create them as CHECK.md shows.
  name          = "${var.name_prefix}-mesh"
  settings_path = "/${local.name}/mesh"

  account_id = coalesce(var.account_id, data.aws_caller_identity.current.account_id)
  partition  = data.aws_partition.current.partition
  arn_suffix = "${var.region}:${local.account_id}"

  settings_parameter_arns = [
    "arn:${local.partition}:ssm:${local.arn_suffix}:parameter${local.settings_path}",
    "arn:${local.partition}:ssm:${local.arn_suffix}:parameter${local.settings_path}/*",
  ]
  # A secret's ARN ends in "-" and six random characters, hence the wildcard after the name.
  settings_secret_arns = var.use_secrets_manager ? [
    "arn:${local.partition}:secretsmanager:${local.arn_suffix}:secret:${local.settings_path}/*",
  ] : []
  secrets_kms_key_arns = var.secrets_kms_key_arns
  event_bus_arn        = var.event_bus_name == "" ? "" : "arn:${local.partition}:events:${local.arn_suffix}:event-bus/${var.event_bus_name}"

  lambda_artifact = startswith(var.lambda_artifact, "/") ? var.lambda_artifact : "${path.module}/${var.lambda_artifact}"

  handlers = {
    send      = "meshgate.aws.lambda.SendHandler::handleRequest"
    poll      = "meshgate.aws.lambda.PollHandler::handleRequest"
    fetch     = "meshgate.aws.lambda.FetchHandler::handleRequest"
    handshake = "meshgate.aws.lambda.HandshakeHandler::handleRequest"
    track     = "meshgate.aws.lambda.TrackHandler::handleRequest"
  }

  # reserved_concurrency null: the function shares the account's unreserved pool.
  functions = {
    send = {
      handler              = local.handlers.send
      description          = "Sends a file put under outbound/ to MESH (S3 notification through SQS)"
      memory_size          = var.send_message_lambda_memory_size
      ephemeral_storage    = 512
      reserved_concurrency = null
    }
    poll = {
      handler              = local.handlers.poll
      description          = "Lists one mailbox's inbox (every page) and queues each message for fetch"
      memory_size          = var.lambda_memory_size
      ephemeral_storage    = 512
      reserved_concurrency = null
    }
    fetch = {
      handler              = local.handlers.fetch
      description          = "Downloads one MESH message to its final key under inbound/, then acknowledges it"
      memory_size          = var.fetch_message_lambda_memory_size
      ephemeral_storage    = var.fetch_message_ephemeral_storage_size
      reserved_concurrency = var.get_message_max_concurrency
    }
    handshake = {
      handler              = local.handlers.handshake
      description          = "Handshakes one mailbox with MESH"
      memory_size          = var.lambda_memory_size
      ephemeral_storage    = 512
      reserved_concurrency = null
    }
    track = {
      handler              = local.handlers.track
      description          = "Checks the delivery status of sent messages"
      memory_size          = var.lambda_memory_size
      ephemeral_storage    = 512
      reserved_concurrency = null
    }
  }

  # Each function's role gets its own policy (iam.tf), naming only what that function uses.
  function_policies = {
    send      = data.aws_iam_policy_document.send.json
    poll      = data.aws_iam_policy_document.poll.json
    fetch     = data.aws_iam_policy_document.fetch.json
    handshake = data.aws_iam_policy_document.handshake.json
    track     = data.aws_iam_policy_document.track.json
  }

  # The functions' settings: the gateway's settings as MESHGATE_* environment variables (docs/configuration.md,
  # the Terraform MESH module's names), plus where the AWS parts are. Secrets are never here: the functions read
  # them from MESHGATE_SETTINGS_PATH.
  # Unset settings (null or empty) are left out, so the functions apply MeshGate's defaults.
  environment = { for name, value in {
    MESHGATE_NAME_PREFIX                 = var.name_prefix
    MESHGATE_SETTINGS_PATH               = local.settings_path
    MESHGATE_USE_SECRETS_MANAGER         = tostring(var.use_secrets_manager)
    MESHGATE_MESH_ENV                    = var.mesh_env
    MESHGATE_MAILBOX_IDS                 = join(",", sort(tolist(var.mailbox_ids)))
    MESHGATE_VERIFY_SSL                  = tostring(var.verify_ssl)
    MESHGATE_VERIFY_CHECKS_COMMON_NAME   = tostring(var.verify_checks_common_name)
    MESHGATE_CHUNK_SIZE                  = tostring(var.chunk_size)
    MESHGATE_CRUMB_SIZE                  = var.crumb_size == null ? null : tostring(var.crumb_size)
    MESHGATE_COMPRESS_THRESHOLD          = tostring(var.compress_threshold)
    MESHGATE_NEVER_COMPRESS              = tostring(var.never_compress)
    MESHGATE_USE_SENDER_FILENAME         = tostring(var.use_sender_filename)
    MESHGATE_USE_S3_KEY_FOR_MEX_FILENAME = tostring(var.use_s3_key_for_mex_filename)
    MESHGATE_USE_LEGACY_INBOUND_LOCATION = tostring(var.use_legacy_inbound_location)
    MESHGATE_GET_MESSAGE_MAX_CONCURRENCY = tostring(var.get_message_max_concurrency)
    MESHGATE_GET_MESSAGES_PAGE_LIMIT     = tostring(var.get_messages_page_limit)
    MESHGATE_STORE_TYPE                  = "s3"
    MESHGATE_STORE_BUCKET                = aws_s3_bucket.mesh.bucket
    MESHGATE_LEDGER_TYPE                 = "dynamodb"
    MESHGATE_LEDGER_TABLE                = aws_dynamodb_table.ledger.name
    MESHGATE_LEDGER_RECORD_TTL_DAYS      = tostring(var.ledger_record_ttl_days)
    MESHGATE_SEND_QUEUE_URL              = aws_sqs_queue.send.url
    MESHGATE_FETCH_QUEUE_URL             = aws_sqs_queue.fetch.url
    MESHGATE_EVENT_BUS_NAME              = var.event_bus_name
  } : name => value if value != null && value != "" }

  # In a VPC, the functions reach MESH on its published addresses and AWS services through the endpoints given.
  vpc_enabled = var.vpc_id != ""
  mesh_cidrs = {
    local = []
    integration = [
      "3.11.177.31/32", "35.177.15.89/32", "3.11.199.83/32",
      "35.178.64.126/32", "18.132.113.121/32", "18.132.31.159/32",
    ]
    production = [
      "18.132.56.40/32", "3.11.193.200/32", "35.176.248.137/32",
      "3.10.194.216/32", "35.176.231.190/32", "35.179.50.16/32",
    ]
  }
  endpoint_security_group_ids = toset(local.vpc_enabled ? compact([
    var.aws_ssm_endpoint_sg_id,
    var.aws_sfn_endpoint_sg_id,
    var.aws_logs_endpoints_sg_id,
    var.aws_kms_endpoints_sg_id,
    var.aws_lambda_endpoints_sg_id,
    var.aws_secrets_endpoints_sg_id,
    var.aws_sqs_endpoints_sg_id,
    var.aws_events_endpoints_sg_id,
  ]) : [])
  endpoint_prefix_list_ids = toset(local.vpc_enabled ? compact([
    var.aws_s3_endpoint_prefix_list_id,
    var.aws_dynamodb_endpoint_prefix_list_id,
  ]) : [])
}
