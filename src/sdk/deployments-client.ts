import type { HttpClient } from './http-client.js';

/** One route of a deployment: a model URI, its part and its share of traffic. */
export interface ApiRouteSpec {
  model: string;
  role: 'primary' | 'candidate' | 'shadow';
  weight: number;
}

/** One immutable state of a deployment, with who made it and why. */
export interface ApiDeploymentRevision {
  deployment: string;
  revision: number;
  spec: {
    mode: 'single' | 'canary' | 'ab' | 'shadow';
    routes: ApiRouteSpec[];
    routingKey?: { header?: string; field?: string };
    unknownCategory: 'ignore' | 'error';
    rollout?: { steps: { weight: number; pauseMs: number }[] };
  };
  /** The routes pinned to model versions when the revision was made. */
  routes: (ApiRouteSpec & {
    name?: string;
    version?: number;
    storePath: string;
    key: string;
    flavor: string;
  })[];
  action: 'deploy' | 'promote' | 'rollback' | 'alias-moved' | 'rollout-step';
  createdBy: string;
  reason?: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface ApiDeployment {
  name: string;
  createdAt: number;
  updatedAt: number;
  current: ApiDeploymentRevision;
}

/** What `gyre deploy` sends: a model and at most one of canary, A/B or shadow. */
export interface ApiDeployRequest {
  model: string;
  canary?: number;
  ab?: number;
  keyHeader?: string;
  keyField?: string;
  shadow?: string;
  unknownCategory?: 'ignore' | 'error';
  /** The candidate's weight steps; the server's rollout driver walks them. */
  rollout?: { steps: { weight: number; pauseMs: number }[] };
  createdBy?: string;
  reason?: string;
}

/** Overrides of `GET /api/v1/deployments/{name}/manifests`; unset ones keep the server's defaults. */
export interface ApiRenderOptions {
  namespace?: string;
  image?: string;
  serviceAccount?: string;
  envSecret?: string;
  /** Equal to maxReplicas: a fixed size and no autoscaler. */
  minReplicas?: number;
  maxReplicas?: number;
  /** Average CPU use in percent the autoscaler aims at. */
  targetCpu?: number;
  /** Inference requests/s per pod the autoscaler aims at (0: CPU only). */
  targetRps?: number;
  cpu?: string;
  memory?: string;
  memoryLimit?: string;
  allowFromNamespace?: string[];
  serviceMonitor?: boolean;
}

/** A deployment rendered as Kubernetes objects and as one YAML stream. */
export interface ApiDeploymentManifests {
  deployment: string;
  revision: number;
  objects: {
    apiVersion: string;
    kind: string;
    metadata: { name: string } & Record<string, unknown>;
  }[];
  yaml: string;
}

const enc = encodeURIComponent;

/** Typed client of Gyre's deployments API (`/api/v1/deployments`). */
export class DeploymentsClient {
  constructor(private readonly http: HttpClient) {}

  async list(): Promise<ApiDeployment[]> {
    return (await this.http.request<{ deployments: ApiDeployment[] }>('GET', '/api/v1/deployments'))
      .deployments;
  }

  get(name: string) {
    return this.http.request<ApiDeployment>('GET', `/api/v1/deployments/${enc(name)}`);
  }

  deploy(name: string, request: ApiDeployRequest) {
    return this.http.request<ApiDeployment>('PUT', `/api/v1/deployments/${enc(name)}`, {
      body: request,
    });
  }

  async history(name: string): Promise<ApiDeploymentRevision[]> {
    return (
      await this.http.request<{ revisions: ApiDeploymentRevision[] }>(
        'GET',
        `/api/v1/deployments/${enc(name)}/revisions`,
      )
    ).revisions;
  }

  promote(name: string, author: { createdBy?: string; reason?: string } = {}) {
    return this.http.request<ApiDeployment>('POST', `/api/v1/deployments/${enc(name)}/promote`, {
      body: author,
    });
  }

  rollback(
    name: string,
    options: { toRevision?: number; createdBy?: string; reason?: string } = {},
  ) {
    return this.http.request<ApiDeployment>('POST', `/api/v1/deployments/${enc(name)}/rollback`, {
      body: options,
    });
  }

  /** The Kubernetes manifests serving a deployment (nothing is applied). */
  render(name: string, options: ApiRenderOptions = {}) {
    const { allowFromNamespace, serviceMonitor, ...rest } = options;
    return this.http.request<ApiDeploymentManifests>(
      'GET',
      `/api/v1/deployments/${enc(name)}/manifests`,
      {
        query: {
          ...rest,
          ...(allowFromNamespace?.length ? { allowFromNamespace } : {}),
          ...(serviceMonitor === undefined ? {} : { serviceMonitor: String(serviceMonitor) }),
        },
      },
    );
  }

  async delete(name: string): Promise<void> {
    await this.http.request<unknown>('DELETE', `/api/v1/deployments/${enc(name)}`);
  }
}
