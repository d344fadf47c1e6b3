import { DataClient } from './data-client.js';
import { DeploymentsClient } from './deployments-client.js';
import { FeaturesClient } from './features-client.js';
import { GovernanceClient } from './governance-client.js';
import { HttpClient, type HttpClientOptions } from './http-client.js';
import { MonitoringClient } from './monitoring-client.js';
import { PipelinesClient } from './pipelines-client.js';
import { RegistryClient } from './registry-client.js';
import { TrackingClient } from './tracking-client.js';

/**
 * Gyre's REST API from a script: one client per area over one connection setting.
 *
 *   const gyre = new GyreClient({ baseUrl: 'http://127.0.0.1:7070' });
 *   const run = await gyre.tracking.createRun({ experimentId: '0' });
 */
export class GyreClient {
  readonly http: HttpClient;
  readonly tracking: TrackingClient;
  readonly registry: RegistryClient;
  readonly data: DataClient;
  readonly deployments: DeploymentsClient;
  readonly pipelines: PipelinesClient;
  readonly monitoring: MonitoringClient;
  readonly features: FeaturesClient;
  readonly governance: GovernanceClient;

  constructor(options: HttpClientOptions) {
    this.http = new HttpClient(options);
    this.tracking = new TrackingClient(this.http);
    this.registry = new RegistryClient(this.http);
    this.data = new DataClient(this.http);
    this.deployments = new DeploymentsClient(this.http);
    this.pipelines = new PipelinesClient(this.http);
    this.monitoring = new MonitoringClient(this.http);
    this.features = new FeaturesClient(this.http);
    this.governance = new GovernanceClient(this.http);
  }
}
