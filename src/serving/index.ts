// Public surface of serving. So far: the ONNX runtime adapter (onnxruntime-node lives here).
export * from './onnx/index.js';
