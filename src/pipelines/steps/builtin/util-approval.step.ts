import type { BuiltinStep } from '../step-types.js';

/** Waits for a person: `gyre approve <run>` (or the API) lets the run go on. */
export const approvalStep: BuiltinStep = {
  uses: 'util/approval',
  description: 'Wait until someone approves the run (gyre approve <run>).',
  inputs: {
    message: {
      type: 'string',
      default: '',
      description: 'Shown in the log: what to check before approving.',
    },
  },
  outputs: { approved_by: { type: 'string' } },
  async run(ctx, inputs) {
    if (inputs.message) ctx.log(String(inputs.message));
    ctx.log(`waiting for approval: gyre approve ${ctx.runId}`);
    const by = await ctx.services.waitForApproval(ctx.runId, ctx.step, ctx.signal);
    ctx.log(`approved by ${by}`);
    return { approved_by: { type: 'string', value: by } };
  },
};
