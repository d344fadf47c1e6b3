// Public surface of serving: model runtimes, the loader, deployments, the router, the
// prediction log and batch prediction. Other folders import serving only from here.
export * from './runtimes/model-runtime.js';
export { RUNTIME_FACTORIES, SERVABLE_FLAVORS, factoryFor } from './runtimes/runtime-factories.js';
export { OnnxRuntimeModel, type OnnxOutputs } from './runtimes/onnx/index.js';
export {
  ModelLoader,
  describe as describeModel,
  type ResolvedModel,
  type InspectedModel,
  type LoadedModel,
  type ModelSource,
} from './loader/model-loader.js';
