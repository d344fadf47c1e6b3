export interface SettingInfo {
  /** Dotted key in gyre.yaml. */
  key: string;
  env: string;
  default: string;
  secret?: boolean;
  description: string;
}

/** Every setting, its environment variable and default: drives loading, `gyre config` and docs. */
export const SETTINGS: readonly SettingInfo[] = [
  {
    key: 'home',
    env: 'GYRE_HOME',
    default: '.gyre',
    description: 'Home directory of the embedded shape (database, artifacts).',
  },
  {
    key: 'server.host',
    env: 'GYRE_HOST',
    default: '127.0.0.1',
    description: 'Address the server binds to.',
  },
  {
    key: 'server.port',
    env: 'GYRE_PORT',
    default: '7070',
    description: 'Port the server listens on (0 picks a free one).',
  },
  {
    key: 'server.bodyLimitBytes',
    env: 'GYRE_BODY_LIMIT_BYTES',
    default: '16777216',
    description:
      'Largest JSON request body accepted; artifact uploads stream and are not limited by it.',
  },
  {
    key: 'server.shutdownTimeoutMs',
    env: 'GYRE_SHUTDOWN_TIMEOUT_MS',
    default: '30000',
    description: 'How long a graceful shutdown waits for in-flight requests.',
  },
  {
    key: 'server.allowedHosts',
    env: 'GYRE_ALLOWED_HOSTS',
    default: '',
    description:
      'Host names the server answers to besides localhost, 127.0.0.1 and [::1] (comma-separated; * for any). Bound to loopback, other Host headers are refused (DNS rebinding); bound elsewhere, checked only when set.',
  },
  {
    key: 'server.drainDelayMs',
    env: 'GYRE_DRAIN_DELAY_MS',
    default: '5000',
    description:
      'On SIGTERM, how long /readyz answers 503 before the server stops accepting connections, so load balancers take it out first (0: none).',
  },
  {
    key: 'database.url',
    env: 'GYRE_DATABASE_URL',
    default: 'sqlite:<home>/gyre.db',
    secret: true,
    description: 'Metadata database: sqlite:<path> or postgres://user:pass@host:port/db.',
  },
  {
    key: 'database.poolSize',
    env: 'GYRE_DATABASE_POOL_SIZE',
    default: '10',
    description: 'PostgreSQL connection pool size.',
  },
  {
    key: 'artifacts.root',
    env: 'GYRE_ARTIFACT_ROOT',
    default: '<home>/artifacts',
    description: 'Artifact store: a directory, file:// URI or s3://bucket/prefix.',
  },
  {
    key: 'data.allowedSourceRoots',
    env: 'GYRE_DATA_ALLOWED_SOURCE_ROOTS',
    default: '',
    description:
      'Server directories HTTP clients may ingest from by path, comma-separated (the CLI reads any local file; landing zones are always allowed).',
  },
  { key: 's3.region', env: 'AWS_REGION', default: 'us-east-1', description: 'S3 region.' },
  {
    key: 's3.endpoint',
    env: 'AWS_ENDPOINT_URL_S3',
    default: '',
    description: 'Endpoint of an S3-compatible store (MinIO, s3rver, ...).',
  },
  {
    key: 's3.accessKeyId',
    env: 'AWS_ACCESS_KEY_ID',
    default: '',
    description: 'S3 access key (else the AWS default credential chain).',
  },
  {
    key: 's3.secretAccessKey',
    env: 'AWS_SECRET_ACCESS_KEY',
    default: '',
    secret: true,
    description: 'S3 secret key.',
  },
  {
    key: 's3.forcePathStyle',
    env: 'GYRE_S3_FORCE_PATH_STYLE',
    default: 'false',
    description: 'Use path-style S3 addressing (needed by most S3-compatible stores).',
  },
  {
    key: 'landing.sqs.queueUrl',
    env: 'GYRE_LANDING_SQS_QUEUE_URL',
    default: '',
    description:
      "SQS queue of the landing bucket's S3 event notifications; when set, s3:// landing zones are fed by its events instead of listing (cluster mode, see docs/aws.md).",
  },
  {
    key: 'landing.sqs.endpoint',
    env: 'AWS_ENDPOINT_URL_SQS',
    default: '',
    description: 'Endpoint of an SQS-compatible service (local emulators); AWS when empty.',
  },
  {
    key: 'landing.sqs.waitTimeSeconds',
    env: 'GYRE_LANDING_SQS_WAIT_SECONDS',
    default: '20',
    description: 'Long-polling wait of each receive, 0-20 seconds.',
  },
  {
    key: 'landing.sqs.visibilityTimeoutSeconds',
    env: 'GYRE_LANDING_SQS_VISIBILITY_SECONDS',
    default: '300',
    description:
      'How long a received notification stays hidden while its file is ingested (extended while work goes on).',
  },
  {
    key: 'landing.sqs.maxReceives',
    env: 'GYRE_LANDING_SQS_MAX_RECEIVES',
    default: '5',
    description:
      "Deliveries after which a file that keeps failing is quarantined; keep it at the queue's maxReceiveCount so what Gyre cannot handle lands in the dead-letter queue.",
  },
  {
    key: 'pipelines.concurrency',
    env: 'GYRE_PIPELINES_CONCURRENCY',
    default: '0',
    description: 'Pipeline steps run at once per run; 0 means one per core.',
  },
  {
    key: 'pipelines.scheduler',
    env: 'GYRE_PIPELINES_SCHEDULER',
    default: 'true',
    description:
      'Whether a server runs pipeline schedules and triggers (one server at a time holds the lease).',
  },
  {
    key: 'pipelines.executor',
    env: 'GYRE_PIPELINES_EXECUTOR',
    default: 'local',
    description:
      'Where pipeline steps run: local (child processes and worker threads) or kubernetes (one Job per step).',
  },
  {
    key: 'kubernetes.namespace',
    env: 'GYRE_KUBERNETES_NAMESPACE',
    default: 'gyre',
    description: 'Namespace of step Jobs and of rendered model-deployment manifests.',
  },
  {
    key: 'kubernetes.image',
    env: 'GYRE_KUBERNETES_IMAGE',
    default: 'ghcr.io/gyre-mlops/gyre:0.1.0',
    description:
      'Gyre image (pinned tag or digest) that model-server pods and step Jobs run; a step may name its own image.',
  },
  {
    key: 'kubernetes.serviceAccount',
    env: 'GYRE_KUBERNETES_SERVICE_ACCOUNT',
    default: '',
    description: 'Service account of step Jobs and model-server pods (IRSA / Workload Identity).',
  },
  {
    key: 'kubernetes.envSecret',
    env: 'GYRE_KUBERNETES_ENV_SECRET',
    default: 'gyre-env',
    description:
      'Secret whose keys become the environment of model-server pods and step Jobs (database URL, S3 credentials).',
  },
  {
    key: 'kubernetes.jobTtlSeconds',
    env: 'GYRE_KUBERNETES_JOB_TTL_SECONDS',
    default: '3600',
    description:
      'Seconds a finished step Job (and its pod and logs) stays before Kubernetes deletes it.',
  },
  {
    key: 'kubernetes.apiUrl',
    env: 'GYRE_KUBERNETES_API_URL',
    default: '',
    description:
      "URL step Jobs call the API at (GYRE_URL), e.g. the Service http://gyre; empty: the server's own address.",
  },
  {
    key: 'kubernetes.kubeconfig',
    env: 'GYRE_KUBECONFIG',
    default: '',
    description:
      'Kubeconfig file of the Job executor; empty: in-cluster credentials, else the default kubeconfig.',
  },
  {
    key: 'monitoring.intervalMs',
    env: 'GYRE_MONITORING_INTERVAL_MS',
    default: '60000',
    description: "How often a server checks each enabled monitor's next prediction-log window.",
  },
  {
    key: 'monitoring.rolloutIntervalMs',
    env: 'GYRE_ROLLOUT_INTERVAL_MS',
    default: '5000',
    description: 'How often a server takes due rollout steps (canary analysis, promote, rollback).',
  },
  {
    key: 'monitoring.canaryPredictionDrift',
    env: 'GYRE_CANARY_PREDICTION_DRIFT',
    default: 'true',
    description:
      "Whether canary analysis rolls back a candidate whose predictions drift from the primary's (off when a retrain is expected to move them; realized performance still judges).",
  },
  {
    key: 'monitoring.canaryLatencySlackMs',
    env: 'GYRE_CANARY_LATENCY_SLACK_MS',
    default: '25',
    description:
      "How many milliseconds a canary's p99 latency may exceed the primary's (and twice it) before the step fails.",
  },
  {
    key: 'monitoring.cpuHourPriceUsd',
    env: 'GYRE_CPU_HOUR_PRICE_USD',
    default: '0.05',
    description: 'Price of one CPU-hour of model serving, for cost per 1,000 predictions.',
  },
  {
    key: 'log.level',
    env: 'GYRE_LOG_LEVEL',
    default: 'info',
    description: 'Log level: trace, debug, info, warn, error, fatal, silent.',
  },
  {
    key: 'serving.port',
    env: 'GYRE_SERVING_PORT',
    default: '5001',
    description: 'Port `gyre serve` listens on (0 picks a free one).',
  },
  {
    key: 'serving.workers',
    env: 'GYRE_SERVING_WORKERS',
    default: '0',
    description: 'Worker processes of `gyre serve` (0: one per core).',
  },
  {
    key: 'serving.pollIntervalMs',
    env: 'GYRE_SERVING_POLL_MS',
    default: '500',
    description: 'How often a model server looks for deployment changes made by other processes.',
  },
  {
    key: 'serving.predictionLog.enabled',
    env: 'GYRE_PREDICTION_LOG',
    default: 'true',
    description: 'Write every prediction to the prediction log (Parquet in the artifact store).',
  },
  {
    key: 'serving.predictionLog.flushIntervalMs',
    env: 'GYRE_PREDICTION_LOG_FLUSH_MS',
    default: '5000',
    description: 'How often the prediction log is written; a crash loses at most this much.',
  },
  {
    key: 'serving.predictionLog.maxBufferedRows',
    env: 'GYRE_PREDICTION_LOG_MAX_ROWS',
    default: '100000',
    description: 'Rows the prediction log holds in memory; beyond it rows are dropped and counted.',
  },
  {
    key: 'serving.predictionLog.sampleRate',
    env: 'GYRE_PREDICTION_LOG_SAMPLE_RATE',
    default: '1',
    description: 'Fraction of requests written to the prediction log.',
  },
  {
    key: 'features.onlineStore',
    env: 'GYRE_FEATURES_ONLINE_STORE',
    default: 'sql',
    secret: true,
    description:
      'Online feature store: sql (tables in the metadata database) or a redis:// URL (printed with its password masked).',
  },
  {
    key: 'features.cacheMaxEntries',
    env: 'GYRE_FEATURES_CACHE_MAX_ENTRIES',
    default: '100000',
    description: 'Online feature values a serving process caches in memory (0: no cache).',
  },
  {
    key: 'features.cacheTtlMs',
    env: 'GYRE_FEATURES_CACHE_TTL_MS',
    default: '5000',
    description:
      'How long a cached online feature value (or a miss) is used before the store is read again.',
  },
  {
    key: 'governance.piiLogPolicy',
    env: 'GYRE_PII_LOG_POLICY',
    default: 'hash',
    description:
      'What the prediction log does with PII-tagged input columns: hash (keyed HMAC-SHA256), drop, or keep.',
  },
  {
    key: 'governance.piiHashKey',
    env: 'GYRE_PII_HASH_KEY',
    default: '',
    secret: true,
    description:
      'HMAC key for hashing PII in the prediction log; unset: a random key is made once and kept in <home>/pii-hash.key.',
  },
  {
    key: 'governance.piiDeploymentPolicies',
    env: 'GYRE_PII_DEPLOYMENT_POLICIES',
    default: '',
    description:
      'Per-deployment PII policies overriding piiLogPolicy, e.g. "fraud=drop,prices=hash".',
  },
  {
    key: 'governance.piiColumns',
    env: 'GYRE_PII_COLUMNS',
    default: '',
    description: 'Input columns always treated as PII in the prediction log (comma-separated).',
  },
  {
    key: 'governance.cpuHourPriceUsd',
    env: 'GYRE_RATE_CPU_HOUR_USD',
    default: '0.05',
    description: 'Rate card: price of one CPU-hour used by pipeline steps.',
  },
  {
    key: 'governance.memoryGibHourPriceUsd',
    env: 'GYRE_RATE_MEMORY_GIB_HOUR_USD',
    default: '0.005',
    description: 'Rate card: price of one GiB-hour of peak memory held by a pipeline step.',
  },
  {
    key: 'governance.retention.predictionLogDays',
    env: 'GYRE_RETAIN_PREDICTION_LOG_DAYS',
    default: '90',
    description: 'Retention: prediction-log files older than this many days are deleted.',
  },
  {
    key: 'governance.retention.stepLogDays',
    env: 'GYRE_RETAIN_STEP_LOG_DAYS',
    default: '30',
    description: 'Retention: logs of pipeline steps finished longer ago than this are deleted.',
  },
  {
    key: 'governance.retention.runArtifactDays',
    env: 'GYRE_RETAIN_RUN_ARTIFACT_DAYS',
    default: '30',
    description:
      'Retention: artifacts of runs that registered no model version, this old, are deleted.',
  },
  {
    key: 'governance.retention.datasetVersionDays',
    env: 'GYRE_RETAIN_DATASET_VERSION_DAYS',
    default: '180',
    description:
      'Retention: dataset versions this old, used by no registered model and not among the newest, are deleted.',
  },
  {
    key: 'governance.retention.datasetKeepLatest',
    env: 'GYRE_RETAIN_DATASET_KEEP_LATEST',
    default: '3',
    description: 'Retention: the newest versions of each dataset that are always kept.',
  },
  {
    key: 'auth.enabled',
    env: 'GYRE_AUTH_ENABLED',
    default: 'false',
    description:
      'Require credentials (API tokens, OIDC). Always required when the server binds beyond loopback.',
  },
  {
    key: 'auth.rateLimitPerMinute',
    env: 'GYRE_RATE_LIMIT_PER_MINUTE',
    default: '1200',
    description: 'Mutating requests allowed per minute per token (per client address without one).',
  },
  {
    key: 'auth.oidc.issuer',
    env: 'GYRE_OIDC_ISSUER',
    default: '',
    description: 'OIDC issuer whose signed JWTs are accepted as bearer tokens (SSO).',
  },
  {
    key: 'auth.oidc.audience',
    env: 'GYRE_OIDC_AUDIENCE',
    default: '',
    description: 'Audience (aud) the JWTs must carry.',
  },
  {
    key: 'auth.oidc.jwksUri',
    env: 'GYRE_OIDC_JWKS_URI',
    default: '',
    description: "Where the issuer's signing keys are; discovered from the issuer when empty.",
  },
  {
    key: 'auth.oidc.roleClaim',
    env: 'GYRE_OIDC_ROLE_CLAIM',
    default: 'groups',
    description: 'JWT claim holding the values mapped to roles (a string or a list).',
  },
  {
    key: 'auth.oidc.roleMap',
    env: 'GYRE_OIDC_ROLE_MAP',
    default: '',
    description: 'Claim values to roles, e.g. "ml-admins=admin,ml-team=editor"; the highest wins.',
  },
  {
    key: 'auth.oidc.defaultRole',
    env: 'GYRE_OIDC_DEFAULT_ROLE',
    default: 'none',
    description: 'Role of a valid JWT no mapping matches: none (refused), viewer, editor or admin.',
  },
];
