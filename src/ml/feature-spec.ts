/**
 * One model input as the model sees it after preprocessing. Categorical inputs are integer
 * codes into `categories`; the names let serving map string inputs to those codes.
 */
export interface FeatureSpec {
  name: string;
  type: 'numeric' | 'categorical';
  /** The category names, in code order, for categorical features. */
  categories?: string[];
}

/** Default specs (`f0`, `f1`, …, all numeric) for callers that pass bare matrices. */
export function defaultFeatureSpecs(numFeatures: number): FeatureSpec[] {
  return Array.from({ length: numFeatures }, (_, i) => ({ name: `f${i}`, type: 'numeric' }));
}
