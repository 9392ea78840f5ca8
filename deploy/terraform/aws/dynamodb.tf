# The ledger: one record per message, claimed and fenced with conditional writes by the functions.
#
# The contract the DynamoDB ledger (meshgate-aws) must match; it has no variables, so code and module agree:
#   table          "{name_prefix}-mesh-ledger" (MESHGATE_LEDGER_TABLE)
#   partition key  pk          (S)
#   sort key       sk          (S)
#   TTL attribute  expires_at  (N, epoch seconds; set on finished records only)
#   GSI by_state   partition key state_pk (S), sort key state_sk (S), all attributes projected
#                  (records waiting in a state, e.g. sent messages whose delivery is being tracked)
resource "aws_dynamodb_table" "ledger" {
  name         = "${local.name}-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "state_pk"
    type = "S"
  }

  attribute {
    name = "state_sk"
    type = "S"
  }

  global_secondary_index {
    name            = "by_state"
    hash_key        = "state_pk"
    range_key       = "state_sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  # No server_side_encryption block: encrypted at rest with an AWS-owned key. The ledger holds message headers and
  # states, not content, and a customer key would add a KMS request to every claim.
}
