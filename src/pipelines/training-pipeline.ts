import type { RawPipeline } from './spec/spec-schema.js';

export interface TrainingPipelineOptions {
  /** Trials of hyperparameter search (`ml/tune`) instead of one training. */
  tune?: number;
  /** Register the model under this name. */
  register?: string;
  /** Aliases for the registered version. */
  aliases?: string[];
}

/**
 * The built-in training pipeline behind `gyre train`: validate → split → train (or tune) →
 * evaluate → register. Params: `dataset`, `target`, `model`. It is an ordinary pipeline —
 * registered, cached and tracked like any other.
 */
export function trainingPipeline(options: TrainingPipelineOptions = {}): RawPipeline {
  const trainer = options.tune
    ? {
        uses: 'ml/tune',
        with: {
          train: '${{ steps.split.outputs.train }}',
          validation: '${{ steps.split.outputs.validation }}',
          target: '${{ params.target }}',
          trials: options.tune,
        },
      }
    : {
        uses: 'ml/train',
        with: {
          train: '${{ steps.split.outputs.train }}',
          validation: '${{ steps.split.outputs.validation }}',
          target: '${{ params.target }}',
          model: '${{ params.model }}',
        },
      };
  return {
    name: 'gyre-train',
    description: 'The pipeline `gyre train` runs: validate, split, train, evaluate, register.',
    params: {
      dataset: { type: 'dataset' },
      target: { type: 'string' },
      model: { type: 'string', default: 'gbdt' },
    },
    steps: {
      validate: {
        uses: 'data/validate',
        with: {
          dataset: '${{ params.dataset }}',
          suite: {
            name: 'training-data',
            compare_previous: false,
            expectations: [
              { expect: 'exists', column: '${{ params.target }}' },
              { expect: 'not_null', column: '${{ params.target }}' },
              { expect: 'row_count', min: 10 },
            ],
          },
        },
      },
      split: {
        needs: 'validate',
        uses: 'data/split',
        with: { dataset: '${{ params.dataset }}', seed: 42 },
      },
      train: { needs: 'split', ...trainer },
      evaluate: {
        needs: 'train',
        uses: 'ml/evaluate',
        with: {
          model: '${{ steps.train.outputs.model }}',
          dataset: '${{ steps.split.outputs.test }}',
          target: '${{ params.target }}',
        },
      },
      ...(options.register
        ? {
            register: {
              needs: 'evaluate',
              uses: 'registry/register',
              with: {
                model: '${{ steps.train.outputs.model }}',
                name: options.register,
                aliases: options.aliases ?? [],
              },
            },
          }
        : {}),
    },
  };
}
