import type { RawPipeline } from './spec-schema.js';

/**
 * A pipeline written in TypeScript: the same shape as the YAML, typed. It is validated when
 * registered (`gyre.pipelines.register({ spec })`), exactly as YAML is.
 *
 *   export default definePipeline({
 *     name: 'nightly',
 *     steps: { hello: { run: 'echo hello' } },
 *   });
 */
export function definePipeline(pipeline: RawPipeline): RawPipeline {
  return pipeline;
}
