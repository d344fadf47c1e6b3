# EKS Pod Identity: one role per Gyre workload, each allowed only what that workload does.
# Bucket access is split into bucket-level (ListBucket) and object-level statements, and no
# statement uses a wildcard action.

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

locals {
  artifacts_arn = module.artifacts_bucket.s3_bucket_arn
  landing_arn   = module.landing_bucket.s3_bucket_arn
  kms_data_actions = [
    "kms:Decrypt",
    "kms:GenerateDataKey",
  ]
}

# API server: reads and writes artifacts, ingests landing files (quarantining bad ones inside
# the landing bucket), consumes the landing queue and reads the database's managed secret.
data "aws_iam_policy_document" "api" {
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_arn, local.landing_arn]
  }

  statement {
    sid = "Artifacts"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${local.artifacts_arn}/*"]
  }

  statement {
    sid       = "ReadLanding"
    actions   = ["s3:GetObject"]
    resources = ["${local.landing_arn}/*"]
  }

  statement {
    sid       = "QuarantineLanding"
    actions   = ["s3:PutObject"]
    resources = ["${local.landing_arn}/_quarantine/*"]
  }

  statement {
    sid = "LandingQueue"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.landing.arn]
  }

  statement {
    sid       = "DataKey"
    actions   = local.kms_data_actions
    resources = [aws_kms_key.data.arn]
  }

  statement {
    sid       = "DatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [module.db.db_instance_master_user_secret_arn]
  }
}

# Pipeline step Jobs: read datasets and models, write step outputs and registered models.
data "aws_iam_policy_document" "steps" {
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_arn, local.landing_arn]
  }

  statement {
    sid = "Artifacts"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
    ]
    resources = ["${local.artifacts_arn}/*"]
  }

  statement {
    sid       = "ReadLanding"
    actions   = ["s3:GetObject"]
    resources = ["${local.landing_arn}/*"]
  }

  statement {
    sid       = "DataKey"
    actions   = local.kms_data_actions
    resources = [aws_kms_key.data.arn]
  }
}

# Model servers: read model artifacts, append prediction logs.
data "aws_iam_policy_document" "serving" {
  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_arn]
  }

  statement {
    sid       = "ReadModels"
    actions   = ["s3:GetObject"]
    resources = ["${local.artifacts_arn}/*"]
  }

  statement {
    sid       = "WritePredictionLogs"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${local.artifacts_arn}/prediction-logs/*"]
  }

  statement {
    sid       = "DataKey"
    actions   = local.kms_data_actions
    resources = [aws_kms_key.data.arn]
  }
}

locals {
  workloads = {
    api     = data.aws_iam_policy_document.api.json
    steps   = data.aws_iam_policy_document.steps.json
    serving = data.aws_iam_policy_document.serving.json
  }
}

resource "aws_iam_role" "workload" {
  for_each = local.workloads

  name               = "${local.prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
}

resource "aws_iam_role_policy" "workload" {
  for_each = local.workloads

  name   = "${local.prefix}-${each.key}"
  role   = aws_iam_role.workload[each.key].id
  policy = each.value
}

resource "aws_eks_pod_identity_association" "workload" {
  for_each = local.workloads

  cluster_name    = module.eks.cluster_name
  namespace       = var.namespace
  service_account = var.service_accounts[each.key]
  role_arn        = aws_iam_role.workload[each.key].arn
}
