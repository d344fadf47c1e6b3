import type { BuiltinStep } from '../step-types.js';

/** POSTs JSON to a URL (Slack, Teams, a CI hook); a non-2xx answer fails the step. */
export const notifyWebhookStep: BuiltinStep = {
  uses: 'notify/webhook',
  description: 'Send JSON to a webhook; a non-2xx answer fails the step.',
  inputs: {
    url: { type: 'string', required: true, description: 'Where to send it.' },
    body: { type: 'json', default: {}, description: 'The JSON body (templates resolved).' },
    method: {
      type: 'string',
      default: 'POST',
      oneOf: ['POST', 'PUT'],
      description: 'HTTP method.',
    },
    headers: { type: 'json', default: {}, description: 'Extra headers.' },
  },
  outputs: { status: { type: 'integer' } },
  async run(ctx, inputs) {
    const response = await fetch(String(inputs.url), {
      method: String(inputs.method),
      headers: {
        'content-type': 'application/json',
        ...(inputs.headers as Record<string, string>),
      },
      body: JSON.stringify(inputs.body),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(30_000)]),
    });
    ctx.log(`${inputs.method} ${inputs.url} → ${response.status}`);
    if (!response.ok)
      throw new Error(
        `webhook answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    return { status: { type: 'integer', value: response.status } };
  },
};
