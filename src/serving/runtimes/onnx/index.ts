// onnxruntime-node lives in this folder only. The factory loads it lazily; the runtime
// classes are exported for callers that want ONNX directly.
export type { OnnxOutputs } from './onnx-runtime.js';
export { OnnxRuntimeModel } from './onnx-runtime.js';
export { onnxFactory } from './onnx-factory.js';
