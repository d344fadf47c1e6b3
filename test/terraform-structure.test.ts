// deploy/terraform checked offline: `terraform fmt`, and the structure of the HCL (parsed by
// hcl2json) against the rules in test/fixtures/terraform-checks.ts. `terraform init` and
// `validate` need the registry, which these machines cannot reach (docs/aws.md says so).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';
import {
  loadTerraformDir,
  parseTerraform,
  parseTfvars,
  type HclBody,
  type TerraformConfig,
} from './fixtures/hcl.js';
import {
  bucketProblems,
  eksInputProblems,
  modulePinProblems,
  plaintextSecretProblems,
  policyProblems,
} from './fixtures/terraform-checks.js';

const DIR = join(REPO_ROOT, 'deploy/terraform');
const EXAMPLES = join(DIR, 'examples');
const terraformInstalled = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;

describe('deploy/terraform', () => {
  let tf: TerraformConfig;
  let tfvars: Record<string, HclBody>;
  beforeAll(async () => {
    tf = await loadTerraformDir(DIR);
    tfvars = {};
    for (const name of readdirSync(EXAMPLES).filter((n) => n.endsWith('.tfvars')))
      tfvars[name] = await parseTfvars(join(EXAMPLES, name));
  });

  it.skipIf(!terraformInstalled)('is formatted (terraform fmt -check -recursive)', () => {
    const run = spawnSync('terraform', ['fmt', '-check', '-recursive', '-diff'], {
      cwd: DIR,
      encoding: 'utf8',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('requires Terraform >= 1.11 and pins the AWS provider', () => {
    expect(tf.terraform).toHaveLength(1);
    const block = tf.terraform[0];
    expect(block.required_version).toBe('>= 1.11');
    const providers = (block.required_providers as HclBody[])[0];
    expect(providers.aws).toEqual({ source: 'hashicorp/aws', version: '~> 6.27' });
  });

  it('builds on terraform-aws-modules vpc 6, eks 21, rds 7 and s3-bucket 5, pinned', () => {
    expect(modulePinProblems(tf)).toEqual([]);
    const sources = Object.values(tf.module).map((m) => m.source);
    for (const s of ['vpc', 'eks', 'rds', 's3-bucket'])
      expect(sources).toContain(`terraform-aws-modules/${s}/aws`);
  });

  it('uses eks v21 inputs: name, kubernetes_version, access entries, before_compute add-ons', () => {
    expect(eksInputProblems(tf.module.eks)).toEqual([]);
    expect(tf.module.eks.enable_cluster_creator_admin_permissions).toBe(true);
    expect(tf.module.eks.authentication_mode).toBe('API');
  });

  it('has managed node groups with an optional GPU group tainted for GPU pods', () => {
    const groups = String(tf.module.eks.eks_managed_node_groups);
    expect(groups).toMatch(/general = \{/);
    expect(groups).toMatch(/var\.gpu_node_group == null \? \{\} :/);
    expect(groups).toMatch(/ami_type\s+= "AL2023_x86_64_NVIDIA"/);
    expect(groups).toMatch(/key\s+= "nvidia\.com\/gpu"[\s\S]*effect\s+= "NO_SCHEDULE"/);
  });

  it('keeps secrets out: RDS manages the database password, no literal secrets anywhere', () => {
    expect(plaintextSecretProblems(tf, Object.values(tfvars))).toEqual([]);
    expect(tf.module.db.engine).toBe('postgres');
    expect(tf.module.db.storage_encrypted).toBe(true);
  });

  it('makes every bucket TLS-only, versioned, encrypted and private', () => {
    expect(bucketProblems(tf)).toEqual([]);
  });

  it('expires prediction logs in the artifact bucket', () => {
    const rules = tf.module.artifacts_bucket.lifecycle_rule as HclBody[];
    const logs = rules.find((r) => (r.filter as HclBody).prefix === 'prediction-logs/');
    expect(logs).toMatchObject({
      enabled: true,
      expiration: { days: '${var.prediction_log_retention_days}' },
    });
  });

  it('grants least privilege: no wildcard actions, no data access on every resource', () => {
    expect(policyProblems(tf)).toEqual([]);
    const docs = tf.data.aws_iam_policy_document;
    // Serving may write only prediction logs; steps may not touch the landing queue.
    const servingWrites = (docs.serving.statement as HclBody[]).filter((s) =>
      (s.actions as string[]).includes('s3:PutObject'),
    );
    expect(servingWrites.map((s) => s.resources)).toEqual([
      ['${local.artifacts_arn}/prediction-logs/*'],
    ]);
    const stepsActions = (docs.steps.statement as HclBody[]).flatMap((s) => s.actions as string[]);
    expect(stepsActions.filter((a) => a.startsWith('sqs:'))).toEqual([]);
  });

  it('binds api, steps and serving to their own Pod Identity roles', () => {
    const trust = tf.data.aws_iam_policy_document.pod_identity_trust.statement as HclBody[];
    expect(trust[0].actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect((trust[0].principals as HclBody[])[0].identifiers).toEqual(['pods.eks.amazonaws.com']);
    expect(tf.resource.aws_eks_pod_identity_association.workload.for_each).toBe(
      '${local.workloads}',
    );
    expect(Object.keys(tf.locals.workloads as HclBody).sort()).toEqual(['api', 'serving', 'steps']);
  });

  it('sends landing bucket events to SQS with a dead-letter queue', () => {
    const queue = tf.resource.aws_sqs_queue.landing;
    expect(String(queue.redrive_policy)).toMatch(
      /maxReceiveCount\s+= var\.landing_dead_letter_after/,
    );
    expect(queue.receive_wait_time_seconds).toBe(20);
    const notifications = tf.module.landing_notifications.sqs_notifications as HclBody;
    expect(notifications.landing).toMatchObject({ events: ['s3:ObjectCreated:*'] });
    const policy = tf.data.aws_iam_policy_document.landing_queue.statement as HclBody[];
    expect(policy[0].condition).toContainEqual(
      expect.objectContaining({ variable: 'aws:SourceArn' }),
    );
  });

  it('keeps images in ECR with immutable tags and scan on push', () => {
    const repo = tf.resource.aws_ecr_repository.gyre;
    expect(repo.image_tag_mutability).toBe('IMMUTABLE');
    expect(repo.image_scanning_configuration).toEqual([{ scan_on_push: true }]);
  });

  it('lets only the configured branch of the GitHub repository assume the CI role', () => {
    const trust = tf.data.aws_iam_policy_document.github_trust.statement as HclBody[];
    expect(trust[0].actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(trust[0].condition).toContainEqual({
      test: 'StringEquals',
      variable: 'token.actions.githubusercontent.com:sub',
      values: ['repo:${var.github_repository}:ref:refs/heads/${var.github_branch}'],
    });
  });

  it('example tfvars set only declared variables, and every variable is documented', () => {
    expect(Object.keys(tfvars).sort()).toEqual(['dev.tfvars', 'prod.tfvars']);
    for (const [file, vars] of Object.entries(tfvars))
      for (const key of Object.keys(vars))
        expect(tf.variable, `${file}: ${key}`).toHaveProperty(key);
    for (const [name, v] of Object.entries(tf.variable))
      expect(String(v.description ?? ''), name).not.toBe('');
  });
});

describe('the terraform checks catch what they look for', () => {
  it('on a module with v20 inputs, loose pins, literal secrets, open buckets and wildcards', async () => {
    const bad = await parseTerraform([
      {
        name: 'bad.tf',
        text: `
module "eks" {
  source          = "terraform-aws-modules/eks/aws"
  version         = ">= 20.0"
  cluster_name    = "x"
  cluster_version = "1.30"
}
module "db" {
  source   = "terraform-aws-modules/rds/aws"
  version  = "~> 7.0"
  password = "hunter22"
}
module "b" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"
}
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "q" {
  policy = jsonencode({ Statement = [{ Action = ["*"], Resource = "arn" }] })
}
`,
      },
    ]);
    expect(modulePinProblems(bad)).toEqual([
      'module.eks: version ">= 20.0" is not pinned to ~> 21.x',
    ]);
    expect(eksInputProblems(bad.module.eks)).toEqual(
      expect.arrayContaining([
        'module.eks: cluster_name is an eks v20 input (renamed in v21)',
        'module.eks: kubernetes_version is not set',
        'module.eks: add-on vpc-cni lacks before_compute = true',
      ]),
    );
    expect(plaintextSecretProblems(bad)).toEqual(
      expect.arrayContaining([
        'module.db.password: literal value for a secret',
        'module.db: manage_master_user_password must be true',
      ]),
    );
    expect(bucketProblems(bad)).toEqual(
      expect.arrayContaining([
        'module.b: attach_deny_insecure_transport_policy is not true',
        'module.b: no server-side encryption',
        'module.b: versioning is not enabled',
      ]),
    );
    const policies = policyProblems(bad);
    expect(policies).toContain('data.aws_iam_policy_document.p.statement[0]: wildcard action s3:*');
    expect(policies.some((p) => p.includes('in a policy expression'))).toBe(true);
  });
});
