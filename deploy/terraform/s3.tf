# One customer-managed key for the data Gyre keeps: artifacts, landing files, images.
resource "aws_kms_key" "data" {
  description             = "${local.prefix}: Gyre artifacts, landing zones and images"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

locals {
  # Every bucket: private, owner-enforced, TLS 1.2+ only, versioned, encrypted with the key.
  bucket_sse = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.data.arn
      }
      bucket_key_enabled = true
    }
  }
}

# Artifacts, dataset versions and prediction logs (GYRE_ARTIFACT_ROOT=s3://<bucket>/).
module "artifacts_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket = "${local.prefix}-artifacts-${local.account_id}"

  block_public_acls        = true
  block_public_policy      = true
  ignore_public_acls       = true
  restrict_public_buckets  = true
  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true

  versioning                           = { enabled = true }
  server_side_encryption_configuration = local.bucket_sse

  lifecycle_rule = [
    {
      id      = "prediction-logs"
      enabled = true
      filter  = { prefix = "prediction-logs/" }
      transition = [
        { days = 30, storage_class = "STANDARD_IA" },
      ]
      expiration                    = { days = var.prediction_log_retention_days }
      noncurrent_version_expiration = { noncurrent_days = 7 }
    },
    {
      id                                     = "abandoned-uploads"
      enabled                                = true
      filter                                 = { prefix = "" }
      abort_incomplete_multipart_upload_days = 2
    },
  ]
}

# Landing zone: new files here become dataset versions (S3 -> SQS -> Gyre).
module "landing_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket = "${local.prefix}-landing-${local.account_id}"

  block_public_acls        = true
  block_public_policy      = true
  ignore_public_acls       = true
  restrict_public_buckets  = true
  control_object_ownership = true
  object_ownership         = "BucketOwnerEnforced"

  attach_deny_insecure_transport_policy = true
  attach_require_latest_tls_policy      = true

  versioning                           = { enabled = true }
  server_side_encryption_configuration = local.bucket_sse

  lifecycle_rule = [
    {
      id                            = "old-versions"
      enabled                       = true
      filter                        = { prefix = "" }
      noncurrent_version_expiration = { noncurrent_days = 30 }
    },
  ]
}

module "landing_notifications" {
  source  = "terraform-aws-modules/s3-bucket/aws//modules/notification"
  version = "~> 5.0"

  bucket = module.landing_bucket.s3_bucket_id
  # The queue policy below is narrower than the module's (one bucket, one account).
  create_sqs_policy = false

  sqs_notifications = {
    landing = {
      queue_arn = aws_sqs_queue.landing.arn
      events    = ["s3:ObjectCreated:*"]
    }
  }

  depends_on = [aws_sqs_queue_policy.landing]
}
