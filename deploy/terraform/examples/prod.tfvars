# Production: zone-redundant NAT and database, a GPU pool for training, deletion protection.
# terraform apply -var-file=examples/prod.tfvars
name                          = "gyre"
environment                   = "prod"
region                        = "eu-west-1"
single_nat_gateway            = false
node_instance_types           = ["m7i.xlarge"]
node_group_size               = { min = 3, max = 10, desired = 3 }
gpu_node_group                = { instance_types = ["g6.xlarge"], min = 0, max = 4, desired = 0 }
db_instance_class             = "db.r7g.large"
db_allocated_storage          = 100
db_multi_az                   = true
deletion_protection           = true
prediction_log_retention_days = 365
github_repository             = "example-org/gyre-models"
create_github_oidc_provider   = false
