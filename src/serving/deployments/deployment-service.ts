import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '../../core/index.js';
import type { ModelLoader } from '../loader/model-loader.js';
import type { UnknownCategoryPolicy } from '../signature/input-validator.js';
import type { DeploymentStore } from './deployment-store.js';
import { checkDeploymentName, checkSpec, modelUriOf } from './deployment-spec.js';
import type {
  ChangeAuthor,
  Deployment,
  DeploymentRevision,
  DeploymentSpec,
  ResolvedRoute,
  RevisionAction,
  RolloutPlan,
  RouteSpec,
} from './deployment-types.js';

/** `gyre deploy`: a model, and at most one of a canary, an A/B split or a shadow. */
export interface DeployRequest extends ChangeAuthor {
  name: string;
  /** The model that answers: `housing@champion`, `housing/4` or a model URI. */
  model: string;
  /** Percent of requests the new model takes; the current primary keeps the rest. */
  canary?: number;
  /** Percent of routing keys the new model takes, sticky per key. */
  ab?: number;
  keyHeader?: string;
  keyField?: string;
  /** A model that gets a copy of every request; its answers are only logged. */
  shadow?: string;
  unknownCategory?: UnknownCategoryPolicy;
  rollout?: RolloutPlan;
  /** Enrich requests from this feature service (`''` stops enriching); kept when omitted. */
  featureService?: string;
}

const SYSTEM = 'gyre';

/**
 * Deployments and their revisions. Every change — deploy, promote, rollback, a rollout step,
 * an alias moving under a route — appends a revision recording who and why; servers follow
 * the `deployment.revised` events and swap models without dropping a request.
 */
export class DeploymentService {
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(
    private readonly deps: {
      store: DeploymentStore;
      loader: ModelLoader;
      clock?: Clock;
      logger?: Logger;
    },
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
  }

  async list(): Promise<Deployment[]> {
    return this.deps.store.list();
  }

  async get(name: string): Promise<Deployment> {
    const found = await this.deps.store.get(checkDeploymentName(name));
    if (!found) throw new NotFoundError(`deployment ${name} does not exist`, { deployment: name });
    return found;
  }

  async history(name: string): Promise<DeploymentRevision[]> {
    await this.get(name);
    return this.deps.store.history(name);
  }

  /** Creates or changes a deployment the way `gyre deploy` describes it. */
  async deploy(request: DeployRequest): Promise<Deployment> {
    const name = checkDeploymentName(request.name);
    const model = modelUriOf(request.model);
    const splits = [request.canary, request.ab, request.shadow].filter((o) => o !== undefined);
    if (splits.length > 1)
      throw new InvalidArgumentError('choose one of canary, ab and shadow', { field: 'canary' });
    const current = await this.deps.store.get(name);
    const unknownCategory =
      request.unknownCategory ?? current?.current.spec.unknownCategory ?? 'ignore';
    const featureService = request.featureService ?? current?.current.spec.featureService;
    let spec: DeploymentSpec;
    if (request.canary !== undefined || request.ab !== undefined) {
      if (!current)
        throw new FailedPreconditionError(
          `deployment ${name} does not exist yet: deploy a model first, then add a ${request.canary !== undefined ? 'canary' : 'A/B candidate'}`,
          { deployment: name },
        );
      const weight = (request.canary ?? request.ab)!;
      const primary = current.current.spec.routes.find((r) => r.role === 'primary')!;
      spec = {
        mode: request.canary !== undefined ? 'canary' : 'ab',
        routes: [
          { model: primary.model, role: 'primary', weight: 100 - weight },
          { model, role: 'candidate', weight },
        ],
        unknownCategory,
        ...(request.ab !== undefined
          ? {
              routingKey:
                request.keyHeader !== undefined
                  ? { header: request.keyHeader.toLowerCase() }
                  : { field: request.keyField },
            }
          : {}),
        ...(request.rollout ? { rollout: request.rollout } : {}),
      };
    } else if (request.shadow !== undefined) {
      spec = {
        mode: 'shadow',
        routes: [
          { model, role: 'primary', weight: 100 },
          { model: modelUriOf(request.shadow, 'shadow'), role: 'shadow', weight: 0 },
        ],
        unknownCategory,
      };
    } else {
      spec = { mode: 'single', routes: [{ model, role: 'primary', weight: 100 }], unknownCategory };
    }
    if (featureService) spec = { ...spec, featureService };
    return this.apply(name, spec, 'deploy', request, current?.current.revision ?? 0);
  }

  /**
   * Sets a deployment to `spec` as given (the REST API's PUT). `expectRevision` guards against
   * overwriting a change made since the caller looked (0: the deployment must be new).
   */
  async apply(
    name: string,
    spec: DeploymentSpec,
    action: RevisionAction,
    author: ChangeAuthor,
    expectRevision?: number,
  ): Promise<Deployment> {
    checkDeploymentName(name);
    checkSpec(spec);
    const routes = await this.resolve(spec.routes);
    return this.deps.store.appendRevision(
      name,
      { spec, routes, action, createdBy: author.createdBy ?? 'unknown', reason: author.reason },
      this.clock.now(),
      expectRevision,
    );
  }

  /** The candidate (or the shadow) becomes the only model. */
  async promote(name: string, author: ChangeAuthor = {}): Promise<Deployment> {
    const current = await this.get(name);
    const { spec } = current.current;
    const next = spec.routes.find((r) => r.role === 'candidate' || r.role === 'shadow');
    if (!next)
      throw new FailedPreconditionError(
        `deployment ${name} serves one model; there is no canary, A/B candidate or shadow to promote`,
        { deployment: name },
      );
    const routes = current.current.routes.filter(
      (r) => r.model === next.model && r.role === next.role,
    );
    const promoted: DeploymentSpec = {
      mode: 'single',
      routes: [{ model: next.model, role: 'primary', weight: 100 }],
      unknownCategory: spec.unknownCategory,
      ...(spec.featureService ? { featureService: spec.featureService } : {}),
    };
    return this.deps.store.appendRevision(
      name,
      {
        spec: promoted,
        // The version that was tested is the one promoted, even if its alias moved since.
        routes: routes.map((r) => ({ ...r, role: 'primary', weight: 100 })),
        action: 'promote',
        createdBy: author.createdBy ?? 'unknown',
        reason: author.reason,
      },
      this.clock.now(),
      current.current.revision,
    );
  }

  /** Goes back to an earlier revision (the one before the current by default), pinned as it was. */
  async rollback(
    name: string,
    author: ChangeAuthor & { toRevision?: number } = {},
  ): Promise<Deployment> {
    const current = await this.get(name);
    const target = author.toRevision ?? current.current.revision - 1;
    const earlier = target >= 1 ? await this.deps.store.getRevision(name, target) : undefined;
    if (!earlier || target >= current.current.revision)
      throw new FailedPreconditionError(
        author.toRevision === undefined
          ? `deployment ${name} has no earlier revision to roll back to`
          : `deployment ${name} has no earlier revision ${target}`,
        { deployment: name, revision: target },
      );
    return this.deps.store.appendRevision(
      name,
      {
        spec: earlier.spec,
        routes: earlier.routes,
        action: 'rollback',
        createdBy: author.createdBy ?? 'unknown',
        reason: author.reason ?? `back to revision ${target}`,
      },
      this.clock.now(),
      current.current.revision,
    );
  }

  /** Moves a canary or A/B candidate to `weight` percent (a rollout step). */
  async setCandidateWeight(
    name: string,
    weight: number,
    author: ChangeAuthor = {},
  ): Promise<Deployment> {
    const current = await this.get(name);
    const { spec, routes } = current.current;
    if (spec.mode !== 'canary' && spec.mode !== 'ab')
      throw new FailedPreconditionError(`deployment ${name} has no canary or A/B candidate`, {
        deployment: name,
      });
    const reweigh = <R extends RouteSpec>(r: R): R =>
      r.role === 'candidate'
        ? { ...r, weight }
        : r.role === 'primary'
          ? { ...r, weight: 100 - weight }
          : r;
    const next: DeploymentSpec = checkSpec({ ...spec, routes: spec.routes.map(reweigh) });
    return this.deps.store.appendRevision(
      name,
      {
        spec: next,
        routes: routes.map(reweigh),
        action: 'rollout-step',
        createdBy: author.createdBy ?? SYSTEM,
        reason: author.reason ?? `candidate at ${weight}%`,
      },
      this.clock.now(),
      current.current.revision,
    );
  }

  async delete(name: string): Promise<void> {
    if (!(await this.deps.store.delete(checkDeploymentName(name), this.clock.now())))
      throw new NotFoundError(`deployment ${name} does not exist`, { deployment: name });
  }

  /**
   * Re-resolves the routes that follow `model`'s moving reference (an alias, or `latest`) and
   * records a revision for each deployment whose versions changed. Idempotent: an event
   * delivered twice finds nothing left to change.
   */
  async follow(uri: string, reason: string): Promise<Deployment[]> {
    const changed: Deployment[] = [];
    for (const deployment of await this.deps.store.list()) {
      const { current } = deployment;
      if (!current.spec.routes.some((r) => r.model === uri)) continue;
      try {
        const routes = await this.resolve(current.spec.routes);
        const same = routes.every((r, i) => r.key === current.routes[i]?.key);
        if (same) continue;
        changed.push(
          await this.deps.store.appendRevision(
            deployment.name,
            { spec: current.spec, routes, action: 'alias-moved', createdBy: SYSTEM, reason },
            this.clock.now(),
            current.revision,
          ),
        );
      } catch (error) {
        // One deployment that cannot follow (its model was deleted) must not stop the others.
        this.logger.warn(
          { err: error, deployment: deployment.name, uri },
          'deployment could not follow its model',
        );
      }
    }
    return changed;
  }

  /** Pins every route to a version and checks Gyre can serve it (refusing python_function-only models). */
  private async resolve(routes: RouteSpec[]): Promise<ResolvedRoute[]> {
    const loader = this.deps.loader;
    return Promise.all(
      routes.map(async (route) => {
        const inspected = await loader.inspect(await loader.resolve(route.model));
        return {
          ...route,
          ...(inspected.name !== undefined
            ? { name: inspected.name, version: inspected.version }
            : {}),
          storePath: inspected.storePath,
          key: inspected.key,
          flavor: inspected.flavor,
        };
      }),
    );
  }
}
