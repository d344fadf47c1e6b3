import { z } from 'zod';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const port = z.coerce
  .number({ error: 'must be an integer from 0 to 65535' })
  .int({ error: 'must be an integer from 0 to 65535' })
  .min(0, { error: 'must be an integer from 0 to 65535' })
  .max(65535, { error: 'must be an integer from 0 to 65535' });

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `must be a positive integer (${what})` })
    .int({ error: `must be a positive integer (${what})` })
    .positive({ error: `must be a positive integer (${what})` });

const nonNegativeInt = (what: string) =>
  z.coerce
    .number({ error: `must be an integer of 0 or more (${what})` })
    .int({ error: `must be an integer of 0 or more (${what})` })
    .min(0, { error: `must be an integer of 0 or more (${what})` });

/** A list from YAML, or from one comma-separated environment variable; empty when unset. */
const nameList = z.preprocess(
  (v) =>
    v === undefined || v === null
      ? []
      : typeof v === 'string'
        ? v
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : v,
  z.array(z.string().min(1), { error: 'must be a list of host names (comma-separated)' }),
);

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])], {
    error: 'must be true or false',
  })
  .transform((v) => v === true || v === 'true' || v === '1');

/**
 * Gyre's whole configuration, one section per concern. Values come from gyre.yaml and
 * environment variables (environment wins); see ENV_KEYS for the variable of each key.
 */
export const configSchema = z.object({
  /** Where the embedded shape keeps its database and artifacts. */
  home: z.string().min(1, { error: 'must be a directory path' }),
  server: z.object({
    host: z.string().min(1, { error: 'must be a host name or IP address' }),
    port,
    bodyLimitBytes: positiveInt('bytes'),
    shutdownTimeoutMs: positiveInt('milliseconds'),
    drainDelayMs: nonNegativeInt('milliseconds'),
    allowedHosts: nameList,
  }),
  database: z.object({
    url: z
      .string()
      .regex(/^(sqlite:|postgres(ql)?:\/\/)/, {
        error: 'must start with sqlite: or postgres://',
      })
      .optional(),
    poolSize: positiveInt('connections'),
  }),
  artifacts: z.object({
    root: z
      .string()
      .min(1, { error: 'must be a directory path, file:// URI or s3://bucket/prefix' })
      .optional(),
  }),
  data: z.object({
    /** Directories HTTP clients may ingest from by path (comma-separated); none by default. */
    allowedSourceRoots: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) =>
        (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter((s) => s !== ''),
      ),
  }),
  s3: z.object({
    region: z.string().min(1),
    endpoint: z.url({ error: 'must be a URL such as http://127.0.0.1:9000' }).optional(),
    accessKeyId: z.string().optional(),
    secretAccessKey: z.string().optional(),
    forcePathStyle: bool,
  }),
  /** Landing zones fed by S3 event notifications through SQS (cluster mode). */
  landing: z.object({
    sqs: z.object({
      queueUrl: z
        .string()
        .regex(/^https?:\/\/[^/]+\/.+/, {
          error: 'must be the queue URL, e.g. https://sqs.<region>.amazonaws.com/<account>/<queue>',
        })
        .optional(),
      endpoint: z.url({ error: 'must be a URL such as http://127.0.0.1:4566' }).optional(),
      waitTimeSeconds: z.coerce
        .number({ error: 'must be a whole number of seconds from 0 to 20' })
        .int({ error: 'must be a whole number of seconds from 0 to 20' })
        .min(0, { error: 'must be a whole number of seconds from 0 to 20' })
        .max(20, { error: 'must be a whole number of seconds from 0 to 20' }),
      visibilityTimeoutSeconds: positiveInt('seconds').max(43200, {
        error: 'must be at most 43200 seconds (12 hours, the SQS limit)',
      }),
      maxReceives: positiveInt('deliveries'),
    }),
  }),
  log: z.object({
    level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  }),
  serving: z.object({
    port,
    /** 0 = one worker per core. */
    workers: z.coerce
      .number({ error: 'must be a whole number (0 = one per core)' })
      .int({ error: 'must be a whole number (0 = one per core)' })
      .min(0, { error: 'must be a whole number (0 = one per core)' }),
    pollIntervalMs: positiveInt('milliseconds'),
    predictionLog: z.object({
      enabled: bool,
      flushIntervalMs: positiveInt('milliseconds'),
      maxBufferedRows: positiveInt('rows'),
      sampleRate: z.coerce
        .number({ error: 'must be a number from 0 to 1' })
        .min(0, { error: 'must be a number from 0 to 1' })
        .max(1, { error: 'must be a number from 0 to 1' }),
    }),
  }),
  pipelines: z.object({
    /** Steps at once per run; 0 means one per core. */
    concurrency: z.coerce
      .number({ error: 'must be an integer >= 0 (0: one per core)' })
      .int({ error: 'must be an integer >= 0 (0: one per core)' })
      .min(0, { error: 'must be an integer >= 0 (0: one per core)' }),
    /** Whether a server runs schedules and triggers (when it holds the scheduler lease). */
    scheduler: bool,
    /** Where steps run: child processes here, or one Kubernetes Job per step. */
    executor: z.enum(['local', 'kubernetes'], { error: 'must be local or kubernetes' }),
  }),
  /** Kubernetes: the Job executor and the manifests `gyre deployments render` writes. */
  kubernetes: z.object({
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a namespace name' }),
    /** The Gyre image pods and step Jobs run (a pinned tag or digest). */
    image: z.string().min(1, { error: 'must be an image reference' }),
    serviceAccount: z.string().optional(),
    /** Secret whose keys become the environment of Gyre's pods and step Jobs. */
    envSecret: z.string().optional(),
    /** Seconds a finished step Job stays before Kubernetes deletes it. */
    jobTtlSeconds: nonNegativeInt('seconds'),
    /** A kubeconfig file; empty: in-cluster credentials, else ~/.kube/config. */
    kubeconfig: z.string().optional(),
    /** Where step pods reach the API (the Service), instead of the address the server binds. */
    apiUrl: z.url({ error: 'must be a URL such as http://gyre.gyre.svc' }).optional(),
  }),
  monitoring: z.object({
    /** How often the server checks each enabled monitor's next window. */
    intervalMs: positiveInt('milliseconds'),
    /** How often the server's rollout driver looks for due rollout steps. */
    rolloutIntervalMs: positiveInt('milliseconds'),
    /** Whether canary analysis fails a step whose predictions drift from the primary's. */
    canaryPredictionDrift: bool,
    /** How many milliseconds the candidate's p99 latency may exceed the primary's by. */
    canaryLatencySlackMs: positiveInt('milliseconds'),
    /** Price of one CPU-hour of model serving, for cost per 1,000 predictions. */
    cpuHourPriceUsd: z.coerce
      .number({ error: 'must be a number of US dollars >= 0' })
      .min(0, { error: 'must be a number of US dollars >= 0' }),
  }),
  features: z.object({
    /** `sql` (the metadata database) or a `redis://` / `rediss://` URL. */
    onlineStore: z.string().regex(/^(sql|rediss?:\/\/.+)$/, {
      error: 'must be sql or a redis:// (rediss://) URL',
    }),
    /** Entries of a serving process's in-process feature cache (0: no cache). */
    cacheMaxEntries: nonNegativeInt('entries'),
    /** How long a cached online feature value is used before the store is read again. */
    cacheTtlMs: positiveInt('milliseconds'),
  }),
  governance: z.object({
    /** What the prediction log does with PII columns: hash (keyed HMAC), drop, or keep. */
    piiLogPolicy: z.enum(['hash', 'drop', 'keep'], { error: 'must be hash, drop or keep' }),
    /** The HMAC key PII is hashed with; a key kept in the home is made when unset. */
    piiHashKey: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    /** Per-deployment policies overriding piiLogPolicy: "fraud=drop,prices=hash". */
    piiDeploymentPolicies: z
      .string()
      .regex(
        /^\s*$|^(\s*[^=,\s]+\s*=\s*(hash|drop|keep)\s*)(,\s*[^=,\s]+\s*=\s*(hash|drop|keep)\s*)*$/,
        {
          error: 'must be deployment=policy pairs, e.g. "fraud=drop,prices=hash"',
        },
      )
      .optional(),
    /** Input columns always treated as PII in the prediction log, whatever their lineage. */
    piiColumns: nameList,
    /** Rate card: price of one CPU-hour of pipeline steps (serving uses monitoring's). */
    cpuHourPriceUsd: z.coerce
      .number({ error: 'must be a number of US dollars >= 0' })
      .min(0, { error: 'must be a number of US dollars >= 0' }),
    /** Rate card: price of one GiB-hour of peak memory held by a pipeline step. */
    memoryGibHourPriceUsd: z.coerce
      .number({ error: 'must be a number of US dollars >= 0' })
      .min(0, { error: 'must be a number of US dollars >= 0' }),
    retention: z.object({
      /** Prediction-log files older than this many days go. */
      predictionLogDays: positiveInt('days'),
      /** Logs of pipeline steps that finished longer ago than this go. */
      stepLogDays: positiveInt('days'),
      /** Artifacts of runs that registered no model version and are this old go. */
      runArtifactDays: positiveInt('days'),
      /** Dataset versions this old, not the newest few and used by no registered model, go. */
      datasetVersionDays: positiveInt('days'),
      /** The newest versions of each dataset that are always kept. */
      datasetKeepLatest: positiveInt('versions'),
    }),
  }),
  auth: z.object({
    enabled: bool,
    /** Mutating requests per minute per token (or per client address without one). */
    rateLimitPerMinute: positiveInt('requests per minute'),
    oidc: z.object({
      issuer: z.url({ error: 'must be the issuer URL, e.g. https://login.example.com' }).optional(),
      audience: z.string().min(1).optional(),
      jwksUri: z.url({ error: 'must be a URL' }).optional(),
      roleClaim: z.string().min(1),
      roleMap: z
        .string()
        .regex(
          /^(\s*[^=,\s]+\s*=\s*(viewer|editor|admin)\s*)(,\s*[^=,\s]+\s*=\s*(viewer|editor|admin)\s*)*$/,
          {
            error: 'must be claim-value=role pairs, e.g. "ml-admins=admin,ml-team=editor"',
          },
        )
        .optional(),
      defaultRole: z.enum(['none', 'viewer', 'editor', 'admin'], {
        error: 'must be none, viewer, editor or admin',
      }),
    }),
  }),
});

export type RawConfig = z.infer<typeof configSchema>;

/** The effective configuration after defaults that depend on other keys are resolved. */
export type GyreConfig = Omit<RawConfig, 'database' | 'artifacts'> & {
  database: RawConfig['database'] & { url: string };
  artifacts: { root: string };
  /** Source roots as absolute paths. */
  data: { allowedSourceRoots: string[] };
};
