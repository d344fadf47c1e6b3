module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = local.prefix
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  endpoint_private_access      = true
  endpoint_public_access       = length(var.endpoint_public_access_cidrs) > 0
  endpoint_public_access_cidrs = var.endpoint_public_access_cidrs

  # Access entries (not the aws-auth ConfigMap): whoever runs `terraform apply` is admin.
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = true

  # The CNI and the Pod Identity agent must exist before nodes join, or pods on the first
  # nodes start without networking or credentials.
  addons = {
    vpc-cni = {
      before_compute = true
    }
    eks-pod-identity-agent = {
      before_compute = true
    }
    kube-proxy = {}
    coredns    = {}
  }

  eks_managed_node_groups = merge(
    {
      general = {
        ami_type       = "AL2023_x86_64_STANDARD"
        instance_types = var.node_instance_types
        min_size       = var.node_group_size.min
        max_size       = var.node_group_size.max
        desired_size   = var.node_group_size.desired
        labels         = { "gyre.dev/pool" = "general" }
      }
    },
    var.gpu_node_group == null ? {} : {
      gpu = {
        ami_type       = "AL2023_x86_64_NVIDIA"
        instance_types = var.gpu_node_group.instance_types
        min_size       = var.gpu_node_group.min
        max_size       = var.gpu_node_group.max
        desired_size   = var.gpu_node_group.desired
        labels         = { "gyre.dev/pool" = "gpu" }
        # Only pods that tolerate the GPU taint (training steps asking for GPUs) land here.
        taints = {
          gpu = {
            key    = "nvidia.com/gpu"
            value  = "true"
            effect = "NO_SCHEDULE"
          }
        }
      }
    }
  )
}
