import { InvalidArgumentError } from '../../core/index.js';
import { UNKNOWN_CATEGORY_POLICIES } from '../signature/input-validator.js';
import { DEPLOYMENT_MODES, type DeploymentSpec, type RouteSpec } from './deployment-types.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const FEATURE_SERVICE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

const invalid = (field: string, message: string) =>
  new InvalidArgumentError(`${field}: ${message}`, { field });

/** Deployment names end up in URLs, metric labels and log partition paths: keep them plain. */
export function checkDeploymentName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw invalid(
      'name',
      'must be 1-128 letters, digits, "_" or "-", starting with a letter or digit',
    );
  return name;
}

/**
 * Turns what users type into a model URI: `housing@champion` → `models:/housing@champion`,
 * `housing/4` → `models:/housing/4`, `housing` → `models:/housing/latest`; URIs pass through.
 */
export function modelUriOf(ref: string, field = 'model'): string {
  if (typeof ref !== 'string' || ref.trim() === '') throw invalid(field, 'a model is required');
  if (ref.startsWith('models:/') || ref.startsWith('runs:/')) return ref;
  if (ref.includes(':'))
    throw invalid(
      field,
      `${ref} is not a model reference (use name@alias, name/version or a models:/ URI)`,
    );
  return ref.includes('@') || ref.includes('/') ? `models:/${ref}` : `models:/${ref}/latest`;
}

function checkWeight(route: RouteSpec, i: number): void {
  if (!Number.isFinite(route.weight) || route.weight < 0 || route.weight > 100)
    throw invalid(`routes[${i}].weight`, 'must be a percentage from 0 to 100');
}

/** Checks that a spec is one Gyre can serve; throws InvalidArgumentError naming the field. */
export function checkSpec(spec: DeploymentSpec): DeploymentSpec {
  if (!DEPLOYMENT_MODES.includes(spec.mode))
    throw invalid('mode', `must be one of ${DEPLOYMENT_MODES.join(', ')}`);
  if (!UNKNOWN_CATEGORY_POLICIES.includes(spec.unknownCategory))
    throw invalid('unknownCategory', `must be one of ${UNKNOWN_CATEGORY_POLICIES.join(', ')}`);
  const count = (role: RouteSpec['role']) => spec.routes.filter((r) => r.role === role).length;
  spec.routes.forEach((route, i) => {
    modelUriOf(route.model, `routes[${i}].model`);
    checkWeight(route, i);
  });
  if (count('primary') !== 1) throw invalid('routes', 'exactly one route must be the primary');
  const primary = spec.routes.find((r) => r.role === 'primary')!;
  const candidate = spec.routes.find((r) => r.role === 'candidate');
  const splits = spec.mode === 'canary' || spec.mode === 'ab';
  if (count('candidate') !== (splits ? 1 : 0))
    throw invalid(
      'routes',
      splits
        ? `${spec.mode} needs exactly one candidate route`
        : `a ${spec.mode} deployment has no candidate`,
    );
  if (count('shadow') !== (spec.mode === 'shadow' ? 1 : 0))
    throw invalid(
      'routes',
      spec.mode === 'shadow'
        ? 'shadow needs exactly one shadow route'
        : `a ${spec.mode} deployment has no shadow route`,
    );
  const answering = primary.weight + (candidate?.weight ?? 0);
  if (Math.abs(answering - 100) > 1e-9)
    throw invalid(
      'routes',
      `the primary and candidate weights must add up to 100, not ${answering}`,
    );
  if (spec.mode === 'ab') {
    const key = spec.routingKey;
    if (!key || (key.header === undefined) === (key.field === undefined))
      throw invalid(
        'routingKey',
        'an A/B deployment takes its routing key from exactly one header or field',
      );
    if (key.header !== undefined && !HEADER.test(key.header))
      throw invalid('routingKey.header', `${JSON.stringify(key.header)} is not a header name`);
    if (key.field !== undefined && !FIELD.test(key.field))
      throw invalid('routingKey.field', `${JSON.stringify(key.field)} is not a field name`);
  }
  if (spec.featureService !== undefined && !FEATURE_SERVICE.test(spec.featureService))
    throw invalid(
      'featureService',
      `${JSON.stringify(spec.featureService)} is not a feature service name`,
    );
  if (spec.rollout) {
    if (!splits) throw invalid('rollout', 'a rollout steps a canary or A/B candidate');
    spec.rollout.steps.forEach((step, i) => {
      if (!(step.weight >= 0 && step.weight <= 100))
        throw invalid(`rollout.steps[${i}].weight`, 'must be a percentage from 0 to 100');
      if (!(Number.isInteger(step.pauseMs) && step.pauseMs >= 0))
        throw invalid(`rollout.steps[${i}].pauseMs`, 'must be a whole number of milliseconds');
    });
  }
  return spec;
}
