export type { OnnxOutputs } from './onnx-runtime.js';
export { OnnxRuntimeModel } from './onnx-runtime.js';
