# The Terraform MESH module's outputs, by the same names, then MeshGate's own. Where the module had a resource
# MeshGate does not need (Step Functions), the output is empty; where it had one security group or log group per
# Lambda, the function doing that work now answers.

output "mesh_s3_bucket_name" {
  description = "the bucket: put files under outbound/, received messages land in inbound/{mailbox_id}/"
  value       = aws_s3_bucket.mesh.bucket
}

output "mesh_s3_logs_bucket_name" {
  description = "the bucket holding the MESH bucket's server access logs"
  value       = aws_s3_bucket.s3logs.bucket
}

output "mesh_kms_key_arn" {
  description = "the KMS key encrypting the bucket and the functions' logs"
  value       = aws_kms_key.mesh.arn
}

output "send_message_sg_id" {
  description = "the functions' security group (one for all), or empty outside a VPC"
  value       = local.vpc_enabled ? aws_security_group.functions[0].id : ""
}

output "get_messages_sg_id" {
  description = "the functions' security group (one for all), or empty outside a VPC"
  value       = local.vpc_enabled ? aws_security_group.functions[0].id : ""
}

output "poll_mailbox_sg_id" {
  description = "the functions' security group (one for all), or empty outside a VPC"
  value       = local.vpc_enabled ? aws_security_group.functions[0].id : ""
}

output "step_function_get_messages_arn" {
  description = "empty: MeshGate uses no Step Functions (poll and fetch functions, see function_names)"
  value       = ""
}

output "step_function_send_messages_arn" {
  description = "empty: MeshGate uses no Step Functions (the send function, see function_names)"
  value       = ""
}

output "stepfunction_get_messages_log_group_name" {
  description = "empty: MeshGate uses no Step Functions"
  value       = ""
}

output "stepfunction_send_message_log_group_name" {
  description = "empty: MeshGate uses no Step Functions"
  value       = ""
}

output "stepfunction_send_messages_log_group_name" {
  description = "empty: MeshGate uses no Step Functions"
  value       = ""
}

output "lambda_check_send_parameters_log_group_name" {
  description = "the send function's log group (it checks a file's parameters and sends it)"
  value       = aws_cloudwatch_log_group.function["send"].name
}

output "lambda_send_message_chunk_log_group_name" {
  description = "the send function's log group"
  value       = aws_cloudwatch_log_group.function["send"].name
}

output "lambda_fetch_message_chunk_log_group_name" {
  description = "the fetch function's log group"
  value       = aws_cloudwatch_log_group.function["fetch"].name
}

output "lambda_poll_mailbox_log_group_name" {
  description = "the poll function's log group"
  value       = aws_cloudwatch_log_group.function["poll"].name
}

# --- MeshGate's own

output "ledger_table_name" {
  description = "the DynamoDB ledger"
  value       = aws_dynamodb_table.ledger.name
}

output "settings_path" {
  description = "where the functions read their MESH settings and secrets (SSM or Secrets Manager)"
  value       = local.settings_path
}

output "function_names" {
  description = "the functions by role: send, poll, fetch, handshake, track"
  value       = { for k, f in aws_lambda_function.function : k => f.function_name }
}

output "log_group_names" {
  description = "each function's log group"
  value       = { for k, g in aws_cloudwatch_log_group.function : k => g.name }
}

output "send_queue_url" {
  description = "the queue of new outbound/ objects and send continuations"
  value       = aws_sqs_queue.send.url
}

output "fetch_queue_url" {
  description = "the queue of MESH messages to download"
  value       = aws_sqs_queue.fetch.url
}

output "dead_letter_queue_urls" {
  description = "dead-letter queues, each with an alarm"
  value = {
    send            = aws_sqs_queue.send_dlq.url
    fetch           = aws_sqs_queue.fetch_dlq.url
    outbound_events = aws_sqs_queue.outbound_events_dlq.url
  }
}
