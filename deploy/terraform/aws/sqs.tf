# Two work queues, each with a dead-letter queue and an alarm on it:
#   send:  "Object Created" events for outbound/ (S3 -> EventBridge -> SQS), and send's own continuation messages
#          when a large message needs another invocation;
#   fetch: one message per MESH message id, from poll, and fetch's continuation messages.
# A message whose invocation crashed comes back after the visibility timeout; the ledger's claim makes the retry
# carry on, never repeat, a send or download.

locals {
  # Longer than one invocation, so a message is never handed to a second invocation while the first still runs.
  queue_visibility_timeout = var.lambda_timeout + 60
  # Throttled invocations (fetch's reserved concurrency) count as receives; allow plenty before giving up.
  queue_max_receive_count = 10
}

resource "aws_sqs_queue" "send_dlq" {
  name                      = "${local.name}-send-dlq"
  message_retention_seconds = 14 * 24 * 3600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "send" {
  name                       = "${local.name}-send"
  visibility_timeout_seconds = local.queue_visibility_timeout
  message_retention_seconds  = 4 * 24 * 3600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.send_dlq.arn
    maxReceiveCount     = local.queue_max_receive_count
  })
}

resource "aws_sqs_queue" "fetch_dlq" {
  name                      = "${local.name}-fetch-dlq"
  message_retention_seconds = 14 * 24 * 3600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "fetch" {
  name                       = "${local.name}-fetch"
  visibility_timeout_seconds = local.queue_visibility_timeout
  message_retention_seconds  = 4 * 24 * 3600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.fetch_dlq.arn
    maxReceiveCount     = local.queue_max_receive_count
  })
}

# Events EventBridge could not deliver to the send queue.
resource "aws_sqs_queue" "outbound_events_dlq" {
  name                      = "${local.name}-outbound-events-dlq"
  message_retention_seconds = 14 * 24 * 3600
  sqs_managed_sse_enabled   = true
}

resource "aws_cloudwatch_metric_alarm" "send_dlq" {
  alarm_name          = "${local.name}-send-dlq-not-empty"
  alarm_description   = "A file under outbound/ could not be sent after ${local.queue_max_receive_count} attempts; see the send function's log"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.send_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "fetch_dlq" {
  alarm_name          = "${local.name}-fetch-dlq-not-empty"
  alarm_description   = "A MESH message could not be downloaded after ${local.queue_max_receive_count} attempts; it stays in the inbox, see the fetch function's log"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.fetch_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "outbound_events_dlq" {
  alarm_name          = "${local.name}-outbound-events-dlq-not-empty"
  alarm_description   = "EventBridge could not queue a new outbound/ object for sending"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.outbound_events_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

# --- new objects under outbound/ to the send queue

resource "aws_cloudwatch_event_rule" "outbound" {
  name        = "${local.name}-outbound"
  description = "A new object under outbound/ in ${local.name}: queue it for sending"
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.mesh.bucket] }
      object = { key = [{ prefix = "outbound/" }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "outbound" {
  rule      = aws_cloudwatch_event_rule.outbound.name
  target_id = "send-queue"
  arn       = aws_sqs_queue.send.arn

  dead_letter_config {
    arn = aws_sqs_queue.outbound_events_dlq.arn
  }

  retry_policy {
    maximum_event_age_in_seconds = 24 * 3600
    maximum_retry_attempts       = 185
  }
}

resource "aws_sqs_queue_policy" "send" {
  queue_url = aws_sqs_queue.send.id
  policy    = data.aws_iam_policy_document.send_queue.json
}

data "aws_iam_policy_document" "send_queue" {
  statement {
    sid       = "OutboundObjectEvents"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.send.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.outbound.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "outbound_events_dlq" {
  queue_url = aws_sqs_queue.outbound_events_dlq.id
  policy    = data.aws_iam_policy_document.outbound_events_dlq.json
}

data "aws_iam_policy_document" "outbound_events_dlq" {
  statement {
    sid       = "UndeliveredOutboundObjectEvents"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.outbound_events_dlq.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.outbound.arn]
    }
  }
}
