import type { Registry } from 'prom-client';
import type { OnlineFeatures, OnlineLookup, ServicePlan } from '../../features/index.js';
import { FastCounter, type CounterChild } from '../metrics/fast-metrics.js';
import type { CellValue, FeatureBatch, SignatureInput } from '../runtimes/model-runtime.js';
import { cellOf } from '../runtimes/model-runtime.js';
import { CompiledSignature } from '../signature/compiled-signature.js';
import type { BatchDecoder } from '../model-server/model-server.js';

/** How a request is read for one model signature and feature service, computed once. */
interface RequestShape {
  plan: ServicePlan;
  /** The model's inputs, all optional, then the join keys the model does not take. */
  request: CompiledSignature;
  /** Position of each join key in the request signature. */
  keyPositions: number[];
  /** For each model input: the feature it is filled from, or undefined. */
  featureOf: (string | undefined)[];
}

interface DeploymentCounters {
  missing: CounterChild;
  cached: CounterChild;
  store: CounterChild;
}

/**
 * Serving's feature enrichment: a deployment that names a feature service accepts requests
 * carrying only its entities' join keys. Each row's model inputs that the request left out
 * are filled from the online store (through the in-process LRU cache of OnlineFeatures);
 * a feature without a fresh value stays missing, so the model's own missing-value handling
 * applies, and it is counted. When every entity is cached, enrichment is synchronous.
 */
export class FeatureEnricher {
  private readonly shapes = new WeakMap<CompiledSignature, RequestShape>();
  private readonly missing: FastCounter | undefined;
  private readonly lookups: FastCounter | undefined;
  private readonly counters = new Map<string, DeploymentCounters>();

  constructor(
    private readonly online: OnlineFeatures,
    registry?: Registry,
  ) {
    if (registry) {
      this.missing = new FastCounter(
        'gyre_feature_enrichment_missing_total',
        'Model inputs a deployment had to fill from the feature store but found no fresh value for.',
        registry,
      );
      this.lookups = new FastCounter(
        'gyre_feature_enrichment_lookups_total',
        'Enriched requests per deployment, answered from the in-process cache or the online store.',
        registry,
      );
    }
  }

  /**
   * The decoded, enriched batch in the model's column order: synchronously when the plan and
   * every entity are cached, as a promise otherwise.
   */
  decode<Body>(
    deployment: string,
    service: string,
    decoder: BatchDecoder<Body>,
    body: Body,
    signature: CompiledSignature,
  ): FeatureBatch | Promise<FeatureBatch> {
    const plan = this.online.cachedPlan(service);
    if (plan === undefined)
      return this.online
        .plan(service)
        .then((p) => this.enrich(deployment, p, decoder, body, signature));
    return this.enrich(deployment, plan, decoder, body, signature);
  }

  private enrich<Body>(
    deployment: string,
    plan: ServicePlan,
    decoder: BatchDecoder<Body>,
    body: Body,
    signature: CompiledSignature,
  ): FeatureBatch | Promise<FeatureBatch> {
    const shape = this.shapeOf(plan, signature);
    const batch = decoder.decode(body, shape.request);
    const keys: CellValue[][] = new Array<CellValue[]>(batch.numRows);
    for (let r = 0; r < batch.numRows; r++) {
      const row = new Array<CellValue>(shape.keyPositions.length);
      for (let k = 0; k < row.length; k++) row[k] = cellOf(batch, r, shape.keyPositions[k]);
      keys[r] = row;
    }
    const counters = this.countersOf(deployment);
    const hit = this.online.cached(plan, keys);
    if (hit !== undefined) {
      if (counters) counters.cached.value++;
      return this.fill(shape, signature, batch, hit, counters);
    }
    if (counters) counters.store.value++;
    return this.online
      .lookup(plan, keys)
      .then((found) => this.fill(shape, signature, batch, found, counters));
  }

  private fill(
    shape: RequestShape,
    signature: CompiledSignature,
    batch: FeatureBatch,
    found: OnlineLookup,
    counters: DeploymentCounters | undefined,
  ): FeatureBatch {
    const width = signature.width;
    const rows: CellValue[][] = new Array<CellValue[]>(batch.numRows);
    let missing = 0;
    for (let r = 0; r < batch.numRows; r++) {
      const row = new Array<CellValue>(width);
      const features = found.rows[r];
      for (let c = 0; c < width; c++) {
        const sent = cellOf(batch, r, c);
        const feature = shape.featureOf[c];
        // What the request sent wins; the store fills only what it left out.
        if (feature === undefined || (sent !== null && sent !== undefined)) row[c] = sent;
        else {
          const v = features[feature];
          if (v === null || v === undefined) {
            missing++;
            row[c] = null;
          } else row[c] = v;
        }
      }
      rows[r] = row;
    }
    if (counters && missing > 0) counters.missing.value += missing;
    return { layout: 'rows', numRows: batch.numRows, rows };
  }

  private shapeOf(plan: ServicePlan, signature: CompiledSignature): RequestShape {
    const known = this.shapes.get(signature);
    if (known && known.plan === plan) return known;
    const features = new Set(plan.features.map((f) => f.name));
    const inputs: SignatureInput[] = signature.signature.inputs.map((i) => ({
      ...i,
      // Filled from the store when left out; the model's signature still judges the result.
      required: false,
      nullable: true,
      categories: undefined,
    }));
    for (const key of plan.joinKeys)
      if (!inputs.some((i) => i.name === key))
        inputs.push({ name: key, type: 'string', required: true, nullable: false });
    const request = new CompiledSignature(
      { inputs, outputs: signature.signature.outputs, numOutputs: signature.numOutputs },
      'ignore',
    );
    const shape: RequestShape = {
      plan,
      request,
      keyPositions: plan.joinKeys.map((k) => request.positionOf(k)),
      featureOf: signature.names.map((n) => (features.has(n) ? n : undefined)),
    };
    this.shapes.set(signature, shape);
    return shape;
  }

  private countersOf(deployment: string): DeploymentCounters | undefined {
    if (!this.missing || !this.lookups) return undefined;
    let c = this.counters.get(deployment);
    if (!c) {
      c = {
        missing: this.missing.child({ deployment }),
        cached: this.lookups.child({ deployment, source: 'cache' }),
        store: this.lookups.child({ deployment, source: 'store' }),
      };
      this.counters.set(deployment, c);
    }
    return c;
  }
}
