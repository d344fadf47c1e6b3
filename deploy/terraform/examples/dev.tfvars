# A small development installation: one NAT gateway, no GPU nodes, no deletion protection.
# terraform apply -var-file=examples/dev.tfvars
name                         = "gyre"
environment                  = "dev"
region                       = "eu-west-1"
endpoint_public_access_cidrs = ["203.0.113.0/24"]
node_instance_types          = ["m7i.large"]
node_group_size              = { min = 2, max = 4, desired = 2 }
github_repository            = "example-org/gyre-models"
