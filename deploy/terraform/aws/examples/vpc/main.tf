# MeshGate on AWS in private subnets of an existing VPC that has endpoints for the AWS services the functions use:
# S3 and DynamoDB (gateway endpoints), SSM, KMS, SQS, CloudWatch Logs and, with use_secrets_manager, Secrets
# Manager (interface endpoints). MESH itself is reached on its published addresses through your NAT.

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

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = set(string)
}

variable "mailbox_ids" {
  type = set(string)
}

data "aws_vpc_endpoint" "s3" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.s3"
}

data "aws_vpc_endpoint" "dynamodb" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.dynamodb"
}

data "aws_vpc_endpoint" "ssm" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.ssm"
}

data "aws_vpc_endpoint" "kms" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.kms"
}

data "aws_vpc_endpoint" "sqs" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.sqs"
}

data "aws_vpc_endpoint" "logs" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.logs"
}

data "aws_vpc_endpoint" "secrets" {
  vpc_id       = var.vpc_id
  service_name = "com.amazonaws.eu-west-2.secretsmanager"
}

module "mesh" {
  source = "../.."

  name_prefix         = "prod-example-project"
  mesh_env            = "production"
  vpc_id              = var.vpc_id
  subnet_ids          = var.private_subnet_ids
  mailbox_ids         = var.mailbox_ids
  use_secrets_manager = true

  aws_s3_endpoint_prefix_list_id       = data.aws_vpc_endpoint.s3.prefix_list_id
  aws_dynamodb_endpoint_prefix_list_id = data.aws_vpc_endpoint.dynamodb.prefix_list_id
  aws_ssm_endpoint_sg_id               = tolist(data.aws_vpc_endpoint.ssm.security_group_ids)[0]
  aws_kms_endpoints_sg_id              = tolist(data.aws_vpc_endpoint.kms.security_group_ids)[0]
  aws_sqs_endpoints_sg_id              = tolist(data.aws_vpc_endpoint.sqs.security_group_ids)[0]
  aws_logs_endpoints_sg_id             = tolist(data.aws_vpc_endpoint.logs.security_group_ids)[0]
  aws_secrets_endpoints_sg_id          = tolist(data.aws_vpc_endpoint.secrets.security_group_ids)[0]
}

output "mesh_s3_bucket_name" {
  value = module.mesh.mesh_s3_bucket_name
}

output "functions_security_group_id" {
  value = module.mesh.send_message_sg_id
}
