# EventBridge Scheduler invokes poll and handshake once per mailbox, and track once, with these inputs (the
# contract with the handlers):
#   poll, handshake: {"mailbox_id": "X26ABC123"}
#   track:           {}

resource "aws_scheduler_schedule_group" "mesh" {
  name = local.name
}

resource "aws_scheduler_schedule" "poll" {
  for_each = var.mailbox_ids

  name                = "poll-${each.key}"
  group_name          = aws_scheduler_schedule_group.mesh.name
  description         = "List ${each.key}'s inbox and queue each message for fetch"
  schedule_expression = var.get_messages_schedule
  state               = var.get_messages_enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.function["poll"].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ mailbox_id = each.key })

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }
}

resource "aws_scheduler_schedule" "handshake" {
  for_each = var.mailbox_ids

  name                = "handshake-${each.key}"
  group_name          = aws_scheduler_schedule_group.mesh.name
  description         = "Handshake ${each.key} with MESH"
  schedule_expression = var.handshake_schedule

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.function["handshake"].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ mailbox_id = each.key })

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }
}

resource "aws_scheduler_schedule" "track" {
  name                = "track"
  group_name          = aws_scheduler_schedule_group.mesh.name
  description         = "Check the delivery status of sent messages"
  schedule_expression = var.tracking_schedule

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_alias.function["track"].arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({})

    retry_policy {
      maximum_retry_attempts       = 0
      maximum_event_age_in_seconds = 60
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name                 = "${local.name}-scheduler"
  assume_role_policy   = data.aws_iam_policy_document.scheduler_assume.json
  permissions_boundary = var.permissions_boundary_arn
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "${local.name}-scheduler"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid     = "InvokeScheduledFunctions"
    actions = ["lambda:InvokeFunction"]
    resources = [
      aws_lambda_alias.function["poll"].arn,
      aws_lambda_alias.function["handshake"].arn,
      aws_lambda_alias.function["track"].arn,
    ]
  }
}
