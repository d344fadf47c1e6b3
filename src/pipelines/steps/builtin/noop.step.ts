import type { BuiltinStep } from '../step-types.js';

/** Does nothing and echoes `message`: for trying pipelines out and measuring overhead. */
export const noopStep: BuiltinStep = {
  uses: 'util/noop',
  description: 'Does nothing; outputs `message` unchanged.',
  inputs: { message: { type: 'string', default: '', description: 'Echoed as the output.' } },
  outputs: { message: { type: 'string' } },
  async run(_ctx, inputs) {
    return { message: { type: 'string', value: String(inputs.message ?? '') } };
  },
};
