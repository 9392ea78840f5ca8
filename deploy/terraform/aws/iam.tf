# One role per function, each naming only the actions and resources that function uses. Kept in step with the
# table in meshgate-aws's TerraformModuleTest, which fails on any action or resource not listed there.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each = local.functions

  name                 = "${local.name}-${each.key}"
  assume_role_policy   = data.aws_iam_policy_document.lambda_assume.json
  permissions_boundary = var.permissions_boundary_arn
}

resource "aws_iam_role_policy" "function" {
  for_each = local.function_policies

  name   = "${local.name}-${each.key}"
  role   = aws_iam_role.function[each.key].id
  policy = each.value
}

# In a VPC, Lambda attaches each function through network interfaces its role must be allowed to manage; EC2 does
# not scope these actions to resources.
resource "aws_iam_role_policy" "vpc_access" {
  for_each = { for name, function in local.functions : name => function if local.vpc_enabled }

  name   = "${local.name}-${each.key}-vpc-access"
  role   = aws_iam_role.function[each.key].id
  policy = data.aws_iam_policy_document.vpc_access.json
}

data "aws_iam_policy_document" "vpc_access" {
  statement {
    sid = "FunctionNetworkInterfaces"
    actions = [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ]
    resources = ["*"]
  }
}

# send: reads a file under outbound/, archives it to sent/ (or, if it cannot be sent, to failed/) by copy and delete,
# records progress in the ledger and queues its own continuation.
data "aws_iam_policy_document" "send" {
  statement {
    sid       = "ReadAndRemoveOutbound"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.mesh.arn}/outbound/*"]
  }

  # Moves never replace: the store looks first (HeadObject) and copies with If-None-Match; a large object is copied
  # in parts, and a copy that lost the race is cleaned up.
  statement {
    sid       = "ArchiveToSentOrFailed"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.mesh.arn}/sent/*", "${aws_s3_bucket.mesh.arn}/failed/*"]
  }

  # Without it, S3 answers a look at an absent key with 403 instead of 404.
  statement {
    sid       = "AbsentKeysAreNotFound"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.mesh.arn]
  }

  statement {
    sid       = "BucketKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.mesh.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid = "SendQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:SendMessage",
    ]
    resources = [aws_sqs_queue.send.arn]
  }

  statement {
    sid       = "Ledger"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.ledger.arn, "${aws_dynamodb_table.ledger.arn}/index/by_state"]
  }

  statement {
    sid       = "Settings"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.settings_parameter_arns
  }

  statement {
    sid       = "OwnLog"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["send"].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.use_secrets_manager ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.settings_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKeys"
      actions   = ["kms:Decrypt"]
      resources = local.secrets_kms_key_arns
    }
  }

  dynamic "statement" {
    for_each = local.event_bus_arn == "" ? [] : [1]
    content {
      sid       = "Events"
      actions   = ["events:PutEvents"]
      resources = [local.event_bus_arn]
    }
  }
}

# poll: lists one inbox, records each new message in the ledger and queues it for fetch.
data "aws_iam_policy_document" "poll" {
  statement {
    sid       = "FetchQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.fetch.arn]
  }

  statement {
    sid       = "Ledger"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.ledger.arn, "${aws_dynamodb_table.ledger.arn}/index/by_state"]
  }

  statement {
    sid       = "Settings"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.settings_parameter_arns
  }

  statement {
    sid       = "OwnLog"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["poll"].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.use_secrets_manager ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.settings_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKeys"
      actions   = ["kms:Decrypt"]
      resources = local.secrets_kms_key_arns
    }
  }
}

# fetch: downloads one message to its key under inbound/ (one PutObject, or a multipart upload resumed by the next
# invocation, then placed on its key without replacing anything), records progress in the ledger and queues its own
# continuation.
data "aws_iam_policy_document" "fetch" {
  statement {
    sid = "WriteInbound"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${aws_s3_bucket.mesh.arn}/inbound/*"]
  }

  # Without it, S3 answers a look at an absent key with 403 instead of 404.
  statement {
    sid       = "AbsentKeysAreNotFound"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.mesh.arn]
  }

  statement {
    sid       = "BucketKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.mesh.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }

  statement {
    sid = "FetchQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "sqs:SendMessage",
    ]
    resources = [aws_sqs_queue.fetch.arn]
  }

  # DeleteItem: the progress item of a download in several chunks goes once the message is stored.
  statement {
    sid       = "Ledger"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.ledger.arn, "${aws_dynamodb_table.ledger.arn}/index/by_state"]
  }

  statement {
    sid       = "Settings"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.settings_parameter_arns
  }

  statement {
    sid       = "OwnLog"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["fetch"].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.use_secrets_manager ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.settings_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKeys"
      actions   = ["kms:Decrypt"]
      resources = local.secrets_kms_key_arns
    }
  }

  dynamic "statement" {
    for_each = local.event_bus_arn == "" ? [] : [1]
    content {
      sid       = "Events"
      actions   = ["events:PutEvents"]
      resources = [local.event_bus_arn]
    }
  }
}

# handshake: talks to MESH only.
data "aws_iam_policy_document" "handshake" {
  statement {
    sid       = "Settings"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.settings_parameter_arns
  }

  statement {
    sid       = "OwnLog"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["handshake"].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.use_secrets_manager ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.settings_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKeys"
      actions   = ["kms:Decrypt"]
      resources = local.secrets_kms_key_arns
    }
  }
}

# track: finds sent messages awaiting delivery (the by_state index) and records their status.
data "aws_iam_policy_document" "track" {
  statement {
    sid       = "Ledger"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.ledger.arn, "${aws_dynamodb_table.ledger.arn}/index/by_state"]
  }

  statement {
    sid       = "Settings"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = local.settings_parameter_arns
  }

  statement {
    sid       = "OwnLog"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["track"].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.use_secrets_manager ? [1] : []
    content {
      sid       = "Secrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = local.settings_secret_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.secrets_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "SecretsKeys"
      actions   = ["kms:Decrypt"]
      resources = local.secrets_kms_key_arns
    }
  }

  dynamic "statement" {
    for_each = local.event_bus_arn == "" ? [] : [1]
    content {
      sid       = "Events"
      actions   = ["events:PutEvents"]
      resources = [local.event_bus_arn]
    }
  }
}
