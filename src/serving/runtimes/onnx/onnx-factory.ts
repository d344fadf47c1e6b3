import { InvalidArgumentError } from '../../../core/index.js';
import type { RuntimeFactory } from '../model-runtime.js';

/**
 * ONNX models (`onnx` flavor: `data` names the .onnx file). onnxruntime-node is a large native
 * module, so it loads only when the first ONNX model does.
 */
export const onnxFactory: RuntimeFactory = {
  flavor: 'onnx',
  filesNeeded: (m) => [typeof m.config.data === 'string' ? m.config.data : 'model.onnx'],
  async load(files, manifest) {
    const path = this.filesNeeded(manifest)[0];
    const bytes = files.get(path);
    if (!bytes) throw new InvalidArgumentError(`model directory has no ${path}`);
    const { OnnxModelRuntime } = await import('./onnx-model-runtime.js');
    return OnnxModelRuntime.load(bytes, manifest);
  },
};
