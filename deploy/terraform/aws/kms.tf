# One key for the bucket's objects and the functions' logs. IAM policies in the account decide who may use it (the
# functions' roles, iam.tf); CloudWatch Logs may use it for this deployment's log groups only.
resource "aws_kms_key" "mesh" {
  description             = local.name
  deletion_window_in_days = 14
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "mesh" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.mesh.key_id
}

data "aws_iam_policy_document" "kms" {
  statement {
    sid       = "AccountIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "LogGroupsOfThisDeployment"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.arn_suffix}:log-group:/aws/lambda/${local.name}-*"]
    }
  }
}
