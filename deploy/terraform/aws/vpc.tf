# With vpc_id set, the functions share one security group allowing HTTPS out to MESH's published addresses (for
# mesh_env integration or production) and to the VPC endpoints given; nothing in.

resource "aws_security_group" "functions" {
  count = local.vpc_enabled ? 1 : 0

  name        = "${local.name}-functions"
  description = "MeshGate functions: HTTPS to MESH and to the AWS service endpoints"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "mesh" {
  for_each = toset(local.vpc_enabled ? local.mesh_cidrs[var.mesh_env] : [])

  security_group_id = aws_security_group.functions[0].id
  description       = "to MESH"
  cidr_ipv4         = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "endpoints" {
  for_each = local.endpoint_security_group_ids

  security_group_id            = aws_security_group.functions[0].id
  description                  = "to an AWS service's interface endpoint"
  referenced_security_group_id = each.key
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_vpc_security_group_egress_rule" "gateway_endpoints" {
  for_each = local.endpoint_prefix_list_ids

  security_group_id = aws_security_group.functions[0].id
  description       = "to S3 or DynamoDB through a gateway endpoint"
  prefix_list_id    = each.key
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}
