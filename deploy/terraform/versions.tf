terraform {
  # 1.11 brings write-only attributes, which rds ~> 7 needs even when the password is managed
  # by RDS in Secrets Manager (as here).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # rds ~> 7 needs >= 6.27; eks ~> 21 and vpc ~> 6 need >= 6.0.
      version = "~> 6.27"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
