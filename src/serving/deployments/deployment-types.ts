import type { UnknownCategoryPolicy } from '../signature/input-validator.js';

/**
 * How a deployment splits traffic: `single` (one model), `canary` (a candidate takes a
 * weight of requests, chosen per request), `ab` (a candidate takes a weight of routing keys,
 * sticky per key), `shadow` (a model gets a copy of every request; its answers are logged,
 * never returned).
 */
export const DEPLOYMENT_MODES = ['single', 'canary', 'ab', 'shadow'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

/** A route's part: `primary` answers, `candidate` answers its share, `shadow` only listens. */
export type RouteRole = 'primary' | 'candidate' | 'shadow';

export interface RouteSpec {
  /** A model URI: `models:/housing@champion`, `models:/housing/4`, `runs:/<run>/model`. */
  model: string;
  role: RouteRole;
  /** Percent of requests (canary) or of routing keys (A/B); 0 for shadows. */
  weight: number;
}

/** Where the A/B routing key comes from: a request header, or a field of the request body. */
export interface RoutingKeySpec {
  header?: string;
  field?: string;
}

/** A progressive rollout: the candidate's weight moves through steps, pausing after each. */
export interface RolloutPlan {
  steps: { weight: number; pauseMs: number }[];
}

/** What a user asks a deployment to be. */
export interface DeploymentSpec {
  mode: DeploymentMode;
  routes: RouteSpec[];
  routingKey?: RoutingKeySpec;
  /** A category the model never saw: `ignore` treats it as missing, `error` refuses it (400). */
  unknownCategory: UnknownCategoryPolicy;
  rollout?: RolloutPlan;
  /**
   * A feature service: requests may carry only its entities' join keys, and the model's
   * other inputs are filled from the online feature store before it runs.
   */
  featureService?: string;
}

/** A route pinned to a model version at the time of the revision. */
export interface ResolvedRoute extends RouteSpec {
  /** Registered model name and version, for `models:/` URIs. */
  name?: string;
  version?: number;
  /** The model directory in the artifact store. */
  storePath: string;
  /** Stable identity of the files (`housing/3`); servers reuse a runtime across revisions by it. */
  key: string;
  /** The flavor the runtime loads. */
  flavor: string;
}

/** Why a revision exists. */
export const REVISION_ACTIONS = [
  'deploy',
  'promote',
  'rollback',
  'alias-moved',
  'rollout-step',
] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** One immutable state of a deployment: every change makes a new one. */
export interface DeploymentRevision {
  deployment: string;
  revision: number;
  spec: DeploymentSpec;
  routes: ResolvedRoute[];
  action: RevisionAction;
  createdBy: string;
  reason?: string;
  createdAt: number;
}

export interface Deployment {
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The revision traffic follows now. */
  current: DeploymentRevision;
}

/** Who made a change and why: kept with every revision. */
export interface ChangeAuthor {
  createdBy?: string;
  reason?: string;
}

/** Emitted in the same transaction as a new revision; servers swap models on it. */
export const DEPLOYMENT_REVISED = 'deployment.revised';
/** Emitted when a deployment is deleted; servers unload its models. */
export const DEPLOYMENT_DELETED = 'deployment.deleted';

export interface DeploymentEventPayload {
  name: string;
  revision?: number;
}
