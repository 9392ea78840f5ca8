terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.40 or later: EventBridge Scheduler, SnapStart, Lambda logging_config, VPC security group rule resources.
      version = ">= 5.40, < 7.0"
    }
  }
}
