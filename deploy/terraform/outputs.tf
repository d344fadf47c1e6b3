output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name <this>)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API endpoint."
  value       = module.eks.cluster_endpoint
}

output "database_endpoint" {
  description = "host:port of the metadata database (GYRE_DATABASE_URL=postgres://gyre:<password>@<this>/gyre)."
  value       = module.db.db_instance_endpoint
}

output "database_secret_arn" {
  description = "Secrets Manager secret holding the database password (managed and rotated by RDS)."
  value       = module.db.db_instance_master_user_secret_arn
}

output "artifact_root" {
  description = "GYRE_ARTIFACT_ROOT for the cluster."
  value       = "s3://${module.artifacts_bucket.s3_bucket_id}/"
}

output "landing_bucket" {
  description = "Landing bucket; files put here become dataset versions."
  value       = module.landing_bucket.s3_bucket_id
}

output "landing_queue_url" {
  description = "GYRE_LANDING_SQS_QUEUE_URL: the queue of the landing bucket's S3 event notifications."
  value       = aws_sqs_queue.landing.url
}

output "landing_dead_letter_queue_url" {
  description = "Notifications that failed landing_dead_letter_after times."
  value       = aws_sqs_queue.landing_dlq.url
}

output "ecr_repository_url" {
  description = "Where CI pushes the Gyre image."
  value       = aws_ecr_repository.gyre.repository_url
}

output "workload_role_arns" {
  description = "Pod Identity role of each workload (api, steps, serving)."
  value       = { for k, r in aws_iam_role.workload : k => r.arn }
}

output "github_ci_role_arn" {
  description = "Role GitHub Actions assumes through OIDC (AWS_ROLE_ARN of the image workflow)."
  value       = local.github_ci ? aws_iam_role.github_ci[0].arn : null
}

output "region" {
  description = "AWS region of the installation (AWS_REGION for Gyre's pods)."
  value       = var.region
}
