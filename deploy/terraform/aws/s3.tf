# The bucket the Terraform MESH module had, under the same name and Terraform addresses: outbound/ is sent,
# received messages land in inbound/{mailbox_id}/, sent files are archived to sent/.
resource "aws_s3_bucket" "mesh" {
  bucket = local.name
}

resource "aws_s3_bucket_ownership_controls" "mesh" {
  bucket = aws_s3_bucket.mesh.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "mesh" {
  bucket = aws_s3_bucket.mesh.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "mesh" {
  bucket = aws_s3_bucket.mesh.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "mesh" {
  bucket = aws_s3_bucket.mesh.id

  rule {
    bucket_key_enabled = true # one KMS call per object, not per part

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.mesh.arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "mesh" {
  bucket = aws_s3_bucket.mesh.id

  # Always on, unlike the expiry below: a download cut off mid-message must not leave parts billed for ever.
  rule {
    id     = "AbortIncompleteMultipartUploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 3
    }
  }

  rule {
    id     = "ExpireMeshObjects"
    status = var.mesh_s3_object_expiry_enabled ? "Enabled" : "Disabled"

    filter {}

    expiration {
      days = var.mesh_s3_object_expiry_in_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.mesh_s3_object_expiry_in_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.mesh]
}

resource "aws_s3_bucket_policy" "mesh_bucket_policy" {
  bucket = aws_s3_bucket.mesh.id
  policy = data.aws_iam_policy_document.mesh_bucket_policy.json

  depends_on = [aws_s3_bucket_public_access_block.mesh]
}

data "aws_iam_policy_document" "mesh_bucket_policy" {
  statement {
    sid       = "AllowTlsRequestsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.mesh.arn, "${aws_s3_bucket.mesh.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "AllowTls12OrLaterOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.mesh.arn, "${aws_s3_bucket.mesh.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

# Object-created events go to EventBridge: the rule in sqs.tf feeds outbound/ to the send queue, and your own rules
# can react to new objects under inbound/ ("Object Created" events) with no CloudTrail trail.
resource "aws_s3_bucket_notification" "mesh" {
  bucket      = aws_s3_bucket.mesh.id
  eventbridge = true
}

resource "aws_s3_bucket_logging" "mesh" {
  bucket        = aws_s3_bucket.mesh.id
  target_bucket = aws_s3_bucket.s3logs.id
  target_prefix = "bucket_logs/"
}

# --- server access logs of the bucket

resource "aws_s3_bucket" "s3logs" {
  bucket = "${local.name}-s3logs"
}

resource "aws_s3_bucket_ownership_controls" "s3logs" {
  bucket = aws_s3_bucket.s3logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "s3logs" {
  bucket = aws_s3_bucket.s3logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Server access logs can only be delivered to a bucket encrypted with S3-managed keys.
resource "aws_s3_bucket_server_side_encryption_configuration" "s3logs" {
  bucket = aws_s3_bucket.s3logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "s3logs" {
  bucket = aws_s3_bucket.s3logs.id

  rule {
    id     = "ExpireAccessLogs"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 3
    }

    expiration {
      days = var.s3logs_retention_in_days
    }
  }
}

resource "aws_s3_bucket_policy" "s3logs" {
  bucket = aws_s3_bucket.s3logs.id
  policy = data.aws_iam_policy_document.s3logs.json

  depends_on = [aws_s3_bucket_public_access_block.s3logs]
}

data "aws_iam_policy_document" "s3logs" {
  statement {
    sid       = "AllowTlsRequestsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.s3logs.arn, "${aws_s3_bucket.s3logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "S3ServerAccessLogsOfTheMeshBucket"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.s3logs.arn}/bucket_logs/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.mesh.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}
