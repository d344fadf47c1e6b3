/**
 * Histogram kernels specialised for a block width, generated once per width and cached.
 * V8 runs a fixed, unrolled sequence of per-feature updates about twice as fast as a loop
 * over the block's features (measured: ~1.8 ns vs ~3.5 ns per row and feature), because
 * the short inner loop's exit mispredicts on every row and its bookkeeping is not hoisted.
 * The generated source contains nothing but the width (a small integer), so no data ever
 * becomes code.
 */
export type BlockKernel = (
  rows: Int32Array,
  begin: number,
  end: number,
  bins: Uint8Array,
  gh: Float32Array,
  ghBase: number,
  hist: Float64Array,
  offsets: Int32Array,
) => void;

const kernels = new Map<number, BlockKernel>();

/** The kernel for blocks `width` features wide; `offsets[k]` is feature k's histogram start. */
export function blockKernel(width: number): BlockKernel {
  if (!Number.isInteger(width) || width < 1 || width > 64) {
    throw new RangeError(`block width ${width} out of range`);
  }
  let kernel = kernels.get(width);
  if (!kernel) {
    kernel = generate(width);
    kernels.set(width, kernel);
  }
  return kernel;
}

function generate(width: number): BlockKernel {
  const lines: string[] = [];
  for (let k = 0; k < width; k++) lines.push(`const o${k} = offsets[${k}];`);
  lines.push('for (let i = begin; i < end; i++) {');
  lines.push('  const r = rows[i];');
  lines.push('  const g = gh[ghBase + 2 * r];');
  lines.push('  const h = gh[ghBase + 2 * r + 1];');
  lines.push(`  const base = r * ${width};`);
  lines.push('  let b = 0;');
  for (let k = 0; k < width; k++) {
    lines.push(`  b = o${k} + 2 * bins[base + ${k}]; hist[b] += g; hist[b + 1] += h;`);
  }
  lines.push('}');
  return new Function(
    'rows',
    'begin',
    'end',
    'bins',
    'gh',
    'ghBase',
    'hist',
    'offsets',
    lines.join('\n'),
  ) as BlockKernel;
}
