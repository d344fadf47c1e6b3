import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../steps/builtin-steps.js';
import { parsePipelineObject, parsePipelineYaml } from './parse-pipeline.js';

const parse = (yaml: string) => parsePipelineYaml(yaml, builtinCatalog, 'p.yaml');
const problems = (yaml: string): string[] => {
  try {
    parse(yaml);
    return [];
  } catch (error) {
    return (
      error as { details: { errors: { line?: number; message: string }[] } }
    ).details.errors.map((e) => `${e.line}: ${e.message}`);
  }
};

describe('pipeline definitions', () => {
  it('normalises shorthands: bare params, needs, outputs, retries, durations', () => {
    const spec = parse(`name: p
params:
  lr: 0.1
  rounds: 10
  data: { type: file }
steps:
  a:
    run: echo hi
    outputs: { model: artifact, score: metric }
    retries: 2
    timeout: 1.5s
  b:
    needs: a
    uses: util/noop
    retries: { count: 3, backoff: 200ms, max_delay: 1m }
    cache: false
`);
    expect(spec.params).toEqual({
      lr: { type: 'number', default: 0.1 },
      rounds: { type: 'integer', default: 10 },
      data: { type: 'file' },
    });
    expect(spec.steps.a).toMatchObject({
      needs: [],
      outputs: { model: { type: 'artifact', path: 'model' }, score: { type: 'metric' } },
      retries: { count: 2, backoffMs: 1000 },
      timeoutMs: 1500,
      cache: true,
    });
    expect(spec.steps.b).toMatchObject({
      needs: ['a'],
      retries: { count: 3, backoffMs: 200, maxDelayMs: 60_000 },
      cache: false,
    });
  });

  it('reports every problem with its line: cycles, unknown steps and types, inputs, templates, cron', () => {
    expect(
      problems(`name: p
params: { lr: 0.1 }
triggers:
  - schedule: "61 * * * *"
steps:
  a: { needs: c, run: "echo \${{ params.lr2 }}" }
  b: { needs: a, uses: ml/trian }
  c: { needs: a, run: "x" }
  d: { uses: data/split, with: { dataset: "\${{ params.lr }}", by: sideways, bogus: 1 } }
  e: { run: "echo \${{ steps.d.outputs.train }}", if: "\${{ steps.a.outputs.x == }}" }
  f: { uses: data/validate }
`),
    ).toEqual([
      expect.stringMatching(/^4: invalid schedule/),
      expect.stringMatching(/^6: steps form a cycle: a → c → a|^6: .*cycle/),
      '6: params.lr2: no such param (declared: lr)',
      '7: unknown step type ml/trian (built-in: data/ingest, data/split, data/transform, data/validate, features/training-set, ml/batch-predict, ml/evaluate, ml/train, ml/tune, ml/validate-model, notify/webhook, registry/gate, registry/register, serving/deploy, util/approval, util/noop)',
      '9: data/split input dataset takes a dataset, got a number',
      '9: data/split input by must be one of random, hash, time, got sideways',
      '9: data/split has no input bogus (inputs: dataset, by, seed, column, train, validation, test, prefix)',
      '10: ${{ steps.a.outputs.x == }}: expression ends too early',
      '10: steps.d.outputs.train: step d is not upstream of e; add it to needs',
      '11: data/validate needs input dataset (a dataset)',
      '11: data/validate needs input suite (a json)',
    ]);
  });

  it('refuses unknown keys and bad names with the key path', () => {
    expect(problems('name: 9lives\nsteps:\n  a: { run: x, retry: 3 }\n')).toEqual([
      "1: the pipeline name must start with a letter and hold up to 64 letters, digits, '_' or '-'",
      '3: unknown key "retry"',
    ]);
    expect(() =>
      parsePipelineObject(
        { name: 'x', steps: { a: { run: 'x', uses: 'util/noop' } } },
        builtinCatalog,
      ),
    ).toThrow('steps.a: step a needs exactly one of uses (a built-in step) or run (a command)');
  });

  it('types templates by what they name: a whole reference keeps its type, text makes a string', () => {
    expect(() =>
      parse(`name: p
params: { n: 5, ds: { type: dataset, default: housing } }
steps:
  a: { uses: data/split, with: { dataset: "\${{ params.ds }}", seed: "\${{ params.n }}" } }
  b: { needs: a, uses: ml/train, with: { train: "\${{ steps.a.outputs.train }}", target: "y-\${{ params.n }}" } }
`),
    ).not.toThrow();
  });
});
