# MeshGate on AWS outside a VPC, against MESH's integration environment: the Terraform MESH module's documented
# example with only `source` changed. Build the functions first: ./mvnw -B -ntp package -pl meshgate-aws -am

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

variable "env" {
  type    = string
  default = "dev"
}

variable "mailbox_ids" {
  type        = set(string)
  description = "your MESH mailbox ids"
}

module "mesh" {
  source = "../.."

  name_prefix                 = "${var.env}-example-project"
  mesh_env                    = "integration"
  mailbox_ids                 = var.mailbox_ids
  verify_ssl                  = true
  get_message_max_concurrency = 10
  compress_threshold          = 1 * 1024 * 1024

  # accepted and ignored: S3 notifications reach the send function without a CloudTrail trail
  cloudtrail_enabled = false
}

output "mesh_s3_bucket_name" {
  value = module.mesh.mesh_s3_bucket_name
}

output "settings_path" {
  value = module.mesh.settings_path
}

output "function_names" {
  value = module.mesh.function_names
}

output "dead_letter_queue_urls" {
  value = module.mesh.dead_letter_queue_urls
}
