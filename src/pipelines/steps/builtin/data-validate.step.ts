import { stringify } from 'yaml';
import { parseSuite } from '../../../data/index.js';
import type { BuiltinStep } from '../step-types.js';
import { metric } from './outputs.js';

/** Validates a dataset version against a suite; a failing suite fails the step (and the run). */
export const dataValidateStep: BuiltinStep = {
  uses: 'data/validate',
  description: 'Validate a dataset version; a failing suite stops the run with its report.',
  inputs: {
    dataset: {
      type: 'dataset',
      required: true,
      description: 'The version to validate (`name@version`).',
    },
    suite: {
      type: 'json',
      required: true,
      description: 'The suite: YAML text or a mapping with `expectations`.',
    },
    fail_on_error: {
      type: 'boolean',
      default: true,
      description: 'Fail the step when the suite fails.',
    },
  },
  outputs: {
    report: { type: 'string' },
    passed: { type: 'boolean' },
    errors: { type: 'metric' },
    warnings: { type: 'metric' },
  },
  async run(ctx, inputs) {
    const text = typeof inputs.suite === 'string' ? inputs.suite : stringify(inputs.suite);
    const suite = parseSuite(text, 'with.suite');
    const report = await ctx.services.data.datasets.validate(
      String(inputs.dataset),
      suite,
      suite.name,
    );
    const root = await ctx.services.tracking.runs.artifactRoot(ctx.trackingRunId);
    if (root.storePath)
      await ctx.services.artifacts.put(
        `${root.storePath}/validation-report.json`,
        JSON.stringify(report, null, 2),
      );
    for (const r of report.results)
      ctx.log(`${r.passed ? 'pass' : r.severity === 'error' ? 'FAIL' : 'warn'}  ${r.message}`);
    ctx.log(`report ${report.id}: ${report.errors} errors, ${report.warnings} warnings`);
    if (!report.passed && inputs.fail_on_error !== false) {
      const failed = report.results
        .filter((r) => !r.passed && r.severity === 'error')
        .map((r) => r.message);
      throw new Error(`validation failed (report ${report.id}): ${failed.join('; ')}`);
    }
    return {
      report: { type: 'string', value: report.id },
      passed: { type: 'boolean', value: report.passed },
      errors: metric(report.errors),
      warnings: metric(report.warnings),
    };
  },
};
