variable "name" {
  description = "Name of this Gyre installation; prefixes every resource (lowercase letters, digits and dashes)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "environment" {
  description = "Environment label (dev, staging, prod); tags every resource and names the GitOps path."
  type        = string
  default     = "dev"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into private, public and database subnets over three zones."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, not zone-redundant); set false in production."
  type        = bool
  default     = true
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "endpoint_public_access_cidrs" {
  description = "CIDRs that may reach the public EKS API endpoint; empty keeps the endpoint private."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Instance types of the general node group (API, steps, serving)."
  type        = list(string)
  default     = ["m7i.large"]
}

variable "node_group_size" {
  description = "Size of the general node group."
  type = object({
    min     = number
    max     = number
    desired = number
  })
  default = { min = 2, max = 6, desired = 3 }
}

variable "gpu_node_group" {
  description = "Optional GPU node group for training steps, tainted so that only pods tolerating nvidia.com/gpu land there; null disables it."
  type = object({
    instance_types = list(string)
    min            = number
    max            = number
    desired        = number
  })
  default = null
}

variable "db_instance_class" {
  description = "RDS instance class of the metadata database."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial storage of the metadata database in GiB (grows up to 5x automatically)."
  type        = number
  default     = 20
}

variable "db_multi_az" {
  description = "Run the metadata database in two zones."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protect the database from deletion and keep a final snapshot; set true in production."
  type        = bool
  default     = false
}

variable "prediction_log_retention_days" {
  description = "Days prediction logs stay in the artifact bucket (moved to infrequent access after 30)."
  type        = number
  default     = 90
}

variable "landing_dead_letter_after" {
  description = "Receives of one landing notification before SQS moves it to the dead-letter queue."
  type        = number
  default     = 5
}

variable "landing_visibility_timeout_seconds" {
  description = "How long a received landing notification stays hidden while Gyre ingests the file."
  type        = number
  default     = 300
}

variable "namespace" {
  description = "Kubernetes namespace Gyre runs in; the Pod Identity associations bind its service accounts."
  type        = string
  default     = "gyre"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may push images (OIDC); null skips the CI role."
  type        = string
  default     = null
}

variable "github_branch" {
  description = "Branch whose workflow runs may assume the CI role."
  type        = string
  default     = "main"
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when the account already has one."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "service_accounts" {
  description = "Kubernetes service accounts of the API server, pipeline step Jobs and model servers; each gets its own Pod Identity role."
  type = object({
    api     = string
    steps   = string
    serving = string
  })
  default = { api = "gyre-api", steps = "gyre-steps", serving = "gyre-serving" }
}
