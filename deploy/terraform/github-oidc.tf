# CI pushes images to ECR with short-lived credentials from GitHub's OIDC token; no access key
# is stored in GitHub. Only workflow runs on var.github_branch of var.github_repository may
# assume the role.

locals {
  github_ci = var.github_repository != null
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.github_ci && var.create_github_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = local.github_ci && !var.create_github_oidc_provider ? 1 : 0

  url = "https://token.actions.githubusercontent.com"
}

locals {
  github_oidc_provider_arn = !local.github_ci ? null : (
    var.create_github_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : data.aws_iam_openid_connect_provider.github[0].arn
  )
}

data "aws_iam_policy_document" "github_trust" {
  count = local.github_ci ? 1 : 0

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:ref:refs/heads/${var.github_branch}"]
    }
  }
}

data "aws_iam_policy_document" "github_ci" {
  count = local.github_ci ? 1 : 0

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken has no resource-level permissions; it grants nothing by itself.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushGyreImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.gyre.arn]
  }

  statement {
    sid       = "ImageKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role" "github_ci" {
  count = local.github_ci ? 1 : 0

  name                 = "${local.prefix}-github-ci"
  assume_role_policy   = data.aws_iam_policy_document.github_trust[0].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "github_ci" {
  count = local.github_ci ? 1 : 0

  name   = "${local.prefix}-github-ci"
  role   = aws_iam_role.github_ci[0].id
  policy = data.aws_iam_policy_document.github_ci[0].json
}
