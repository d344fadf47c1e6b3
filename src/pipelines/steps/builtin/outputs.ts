import type { DatasetVersion } from '../../../data/index.js';
import type { OutputValue } from '../step-types.js';

/** A dataset version as a step output: `name@version`, keyed by its content digest. */
export function datasetOutput(version: DatasetVersion): OutputValue {
  return {
    type: 'dataset',
    value: `${version.datasetName}@${version.version}`,
    digest: version.digest,
  };
}

export const metric = (value: number): OutputValue => ({ type: 'metric', value });
