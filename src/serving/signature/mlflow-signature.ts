import { INPUT_TYPES, type InputType, type SignatureInput } from '../runtimes/model-runtime.js';

/** One column of an MLflow column-based signature, as far as serving cares. */
interface MlflowColumn {
  name: string;
  type: InputType;
  required: boolean;
}

/** MLflow's column types that mean the same as one of ours. */
const ALIASES: Record<string, InputType> = { int: 'integer', bool: 'boolean', str: 'string' };

/**
 * Reads the column specs of an MLflow signature's `inputs` (`[{"name", "type", "required"}]`).
 * Tensor-based signatures and columns of types serving does not check give undefined.
 */
function columnsOf(signatureInputs: unknown): MlflowColumn[] | undefined {
  if (!Array.isArray(signatureInputs)) return undefined;
  const columns: MlflowColumn[] = [];
  for (const spec of signatureInputs as unknown[]) {
    if (typeof spec !== 'object' || spec === null) return undefined;
    const s = spec as Record<string, unknown>;
    if (typeof s.name !== 'string' || typeof s.type !== 'string') return undefined;
    const type = ALIASES[s.type] ?? s.type;
    if (!(INPUT_TYPES as readonly string[]).includes(type)) return undefined;
    columns.push({ name: s.name, type: type as InputType, required: s.required !== false });
  }
  return columns;
}

/**
 * Refines what a runtime knows about its inputs with the MLflow signature saved beside the
 * model: its types (a `long` column must hold integers) and which columns are optional.
 * Applied only when the signature names exactly the runtime's columns; otherwise the
 * runtime's own view stands (a signature that disagrees with the model describes something
 * else).
 */
export function withMlflowSignature(
  inputs: readonly SignatureInput[],
  signatureInputs: unknown,
): SignatureInput[] {
  const columns = columnsOf(signatureInputs);
  if (!columns || columns.length !== inputs.length) return [...inputs];
  const byName = new Map(columns.map((c) => [c.name, c]));
  if (!inputs.every((i) => byName.has(i.name))) return [...inputs];
  return inputs.map((input) => {
    const column = byName.get(input.name)!;
    // A string column the model encodes stays a string whatever the signature says.
    const type = input.type === 'string' ? 'string' : column.type;
    // Integer and boolean columns have no missing value (pandas would make them floats).
    const nullable = input.nullable && (type === 'double' || type === 'float' || type === 'string');
    return { ...input, type, required: column.required, nullable };
  });
}

/** Input names for a model that knows only how many features it takes. */
export function positionalInputs(count: number, signatureInputs: unknown): SignatureInput[] {
  const generic: SignatureInput[] = Array.from({ length: count }, (_, i) => ({
    name: `f${i}`,
    type: 'double',
    required: true,
    nullable: true,
  }));
  const columns = columnsOf(signatureInputs);
  if (!columns || columns.length !== count) return generic;
  return columns.map((c) => ({
    name: c.name,
    type: c.type === 'string' ? 'double' : c.type,
    required: c.required,
    nullable: c.type === 'double' || c.type === 'float',
  }));
}
