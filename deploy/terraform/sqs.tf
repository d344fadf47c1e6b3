# S3 event notifications of the landing bucket, consumed by Gyre's landing zones in cluster
# mode (landing.sqs.queueUrl). A message received landing_dead_letter_after times without
# being deleted (the file failed every time) moves to the dead-letter queue.
resource "aws_sqs_queue" "landing_dlq" {
  name                      = "${local.prefix}-landing-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "landing" {
  name                       = "${local.prefix}-landing"
  visibility_timeout_seconds = var.landing_visibility_timeout_seconds
  receive_wait_time_seconds  = 20
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.landing_dlq.arn
    maxReceiveCount     = var.landing_dead_letter_after
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "landing_dlq" {
  queue_url = aws_sqs_queue.landing_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.landing.arn]
  })
}

data "aws_iam_policy_document" "landing_queue" {
  statement {
    sid       = "S3LandingBucketSends"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.landing.arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [module.landing_bucket.s3_bucket_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.landing.arn]

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
}

resource "aws_sqs_queue_policy" "landing" {
  queue_url = aws_sqs_queue.landing.id
  policy    = data.aws_iam_policy_document.landing_queue.json
}
