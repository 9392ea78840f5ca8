# The ledger: one record per message, claimed and fenced with conditional writes by the functions.
#
# The contract the DynamoDB ledger (meshgate-aws) must match; it has no variables, so code and module agree:
#   table          "{name_prefix}-mesh-ledger" (MESHGATE_LEDGER_TABLE)
#   partition key  pk          (S), no sort key
#   TTL attribute  expires_at  (N, epoch seconds; set on finished records only)
#   GSI by_state   partition key list_state (S), sort key list_order (N), keys only
#                  (records in a state, listed in order; the ledger then reads each record consistently)
# (meshgate.aws.ledger.LedgerTable creates the same table when ledger.create_table is set.)
resource "aws_dynamodb_table" "ledger" {
  name         = "${local.name}-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "list_state"
    type = "S"
  }

  attribute {
    name = "list_order"
    type = "N"
  }

  global_secondary_index {
    name            = "by_state"
    hash_key        = "list_state"
    range_key       = "list_order"
    projection_type = "KEYS_ONLY"
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
