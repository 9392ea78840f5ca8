# The five functions run the gateway's own code (meshgate-aws, built by ./mvnw package into var.lambda_artifact).
# Each invocation does a bounded slice of work and records its progress in the ledger, so SnapStart can restore a
# snapshot taken after start-up: nothing made at init is per-invocation. Schedules and queues invoke the "live"
# alias, the latest published version, never $LATEST (SnapStart applies to published versions only).

resource "aws_cloudwatch_log_group" "function" {
  for_each = local.functions

  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.cloudwatch_retention_in_days
  kms_key_id        = aws_kms_key.mesh.arn
}

resource "aws_lambda_function" "function" {
  for_each = local.functions

  function_name    = "${local.name}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  runtime          = "java21"
  handler          = each.value.handler
  architectures    = ["x86_64"]
  filename         = local.lambda_artifact
  source_code_hash = filebase64sha256(local.lambda_artifact)
  memory_size      = each.value.memory_size
  timeout          = var.lambda_timeout
  publish          = true

  reserved_concurrent_executions = each.value.reserved_concurrency

  ephemeral_storage {
    size = each.value.ephemeral_storage
  }

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = local.environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  dynamic "vpc_config" {
    for_each = local.vpc_enabled ? [1] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = [aws_security_group.functions[0].id]
    }
  }

  depends_on = [aws_iam_role_policy.function, aws_iam_role_policy.vpc_access]
}

resource "aws_lambda_alias" "function" {
  for_each = local.functions

  name             = "live"
  function_name    = aws_lambda_function.function[each.key].function_name
  function_version = aws_lambda_function.function[each.key].version
}

# One object per invocation: a file is one send, a MESH message one download, each possibly continued by a message
# the function queues for itself; a failure returns only that message to the queue.
resource "aws_lambda_event_source_mapping" "send" {
  event_source_arn        = aws_sqs_queue.send.arn
  function_name           = aws_lambda_alias.function["send"].arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_lambda_event_source_mapping" "fetch" {
  event_source_arn        = aws_sqs_queue.fetch.arn
  function_name           = aws_lambda_alias.function["fetch"].arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]

  # The queue's maximum concurrency keeps the poller from invoking past the reserved concurrency (SQS allows 2 to
  # 1000); at 1 the reserved concurrency alone bounds it.
  dynamic "scaling_config" {
    for_each = var.get_message_max_concurrency >= 2 ? [1] : []
    content {
      maximum_concurrency = var.get_message_max_concurrency
    }
  }
}

# Scheduled invocations are not retried: the next tick does the same work.
resource "aws_lambda_function_event_invoke_config" "scheduled" {
  for_each = toset(["poll", "handshake", "track"])

  function_name                = aws_lambda_function.function[each.key].function_name
  qualifier                    = aws_lambda_alias.function[each.key].name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 300
}
