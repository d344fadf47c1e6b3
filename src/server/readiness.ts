import type { FastifyInstance } from 'fastify';

/** Whether the server is shutting down: /readyz answers 503 from then on. */
export interface Readiness {
  draining: boolean;
}

const DECORATOR = 'gyreReadiness';

/** Gives an app its readiness state; child scopes (the health routes) inherit it. */
export function declareReadiness(app: FastifyInstance): void {
  app.decorate(DECORATOR, { draining: false } satisfies Readiness);
}

/** The app's readiness state; a never-draining one for an app built without it. */
export function readinessOf(app: FastifyInstance): Readiness {
  return app.hasDecorator(DECORATOR) ? app.getDecorator<Readiness>(DECORATOR) : { draining: false };
}
