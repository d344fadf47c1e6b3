/** Ends an exhaustive switch: the compiler fails if a case was forgotten. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
