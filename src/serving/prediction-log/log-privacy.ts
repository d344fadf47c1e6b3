import { createHmac } from 'node:crypto';
import type { Logger } from '../../core/index.js';
import type { PiiService } from '../../data/index.js';
import type { CellValue } from '../runtimes/model-runtime.js';
import type { ServedRoute } from '../model-server/routing-table.js';

/** What the prediction log does with a PII input column. */
export type PiiLogAction = 'hash' | 'drop' | 'keep';

/** One action per model input, in signature order; undefined when nothing is personal. */
export type LogColumnPlan = readonly PiiLogAction[] | undefined;

/** Decides, once per served route and off the hot path, how its inputs are logged. */
export interface LogPrivacy {
  planFor(deployment: string, route: ServedRoute): Promise<LogColumnPlan>;
  /** A hashed value: keyed, so equal inputs stay joinable without being readable. */
  hash(value: CellValue): string | null;
}

export interface PiiLogPolicyOptions {
  pii: PiiService;
  /** The global policy and per-deployment overrides. */
  policy: PiiLogAction;
  deploymentPolicies?: Record<string, PiiLogAction>;
  /** Input names always treated as PII. */
  columns?: readonly string[];
  /** The HMAC key. */
  key: Buffer;
  logger?: Logger;
}

/**
 * The PII policy of the prediction log: an input is personal when a dataset upstream of the
 * route's model version tags it (data's PII tags, through lineage) or when configuration
 * names it; it is then hashed with HMAC-SHA256 under the configured key, or dropped.
 */
export function piiLogPolicy(options: PiiLogPolicyOptions): LogPrivacy {
  const always = new Set(options.columns ?? []);
  return {
    async planFor(deployment, route) {
      const action = options.deploymentPolicies?.[deployment] ?? options.policy;
      if (action === 'keep') return undefined;
      const personal = new Set(always);
      const { name, version } = route.model;
      if (name !== undefined && version !== undefined) {
        try {
          for (const column of Object.keys(await options.pii.columnsUpstreamOf(name, version)))
            personal.add(column);
        } catch (error) {
          // Unknown lineage must not log PII in clear: every input is treated as personal.
          options.logger?.warn(
            { err: error, deployment, model: `${name}/${version}` },
            'PII lineage unreadable; hashing or dropping every input of this route',
          );
          return route.signature.signature.inputs.map(() => action);
        }
      }
      const plan = route.signature.signature.inputs.map((i) =>
        personal.has(i.name) ? action : 'keep',
      );
      return plan.some((a) => a !== 'keep') ? plan : undefined;
    },
    hash(value) {
      if (value === null || value === undefined) return null;
      if (typeof value === 'number' && Number.isNaN(value)) return null;
      return `hmac:${createHmac('sha256', options.key).update(String(value)).digest('hex').slice(0, 32)}`;
    },
  };
}

/** A row's input values as the plan logs them: kept, hashed or left out. */
export function applyPlan(
  values: readonly CellValue[],
  plan: readonly PiiLogAction[],
  privacy: LogPrivacy,
): CellValue[] {
  const out: CellValue[] = [];
  for (let i = 0; i < values.length; i++) {
    const action = plan[i];
    if (action === 'drop') continue;
    out.push(action === 'hash' ? privacy.hash(values[i]) : values[i]);
  }
  return out;
}
