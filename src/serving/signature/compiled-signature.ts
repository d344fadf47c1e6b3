import type { ServingSignature } from '../runtimes/model-runtime.js';
import {
  compileValidator,
  type BatchValidator,
  type UnknownCategoryPolicy,
} from './input-validator.js';

/**
 * Everything request decoding needs about one signature, computed once when a model version
 * starts serving: column positions by name, the compiled validator, and a cache of the last
 * column order a client sent (clients repeat theirs, so mapping it is usually one comparison).
 */
export class CompiledSignature {
  readonly names: readonly string[];
  readonly width: number;
  readonly validate: BatchValidator;
  private readonly positions: Map<string, number>;
  private lastOrder: readonly string[] | undefined;
  private lastMap: Int32Array | undefined;

  constructor(
    readonly signature: ServingSignature,
    unknownCategory: UnknownCategoryPolicy,
  ) {
    this.names = signature.inputs.map((i) => i.name);
    this.width = this.names.length;
    this.positions = new Map(this.names.map((n, i) => [n, i]));
    this.validate = compileValidator(signature, unknownCategory);
  }

  get numOutputs(): number {
    return this.signature.numOutputs;
  }

  /** The signature position of a column name, or -1. */
  positionOf(name: string): number {
    return this.positions.get(name) ?? -1;
  }

  /**
   * For a client's column order, where each signature column is in it: map[c] is the
   * client's index of signature column c, or -1 when the client did not send it. Returns
   * undefined when the order is exactly the signature's (rows can be used as sent).
   */
  orderOf(columns: readonly string[]): Int32Array | undefined {
    const last = this.lastOrder;
    if (last !== undefined && last.length === columns.length) {
      let same = true;
      for (let i = 0; i < columns.length; i++)
        if (last[i] !== columns[i]) {
          same = false;
          break;
        }
      if (same) return this.lastMap;
    }
    let identical = columns.length === this.width;
    const map = new Int32Array(this.width).fill(-1);
    for (let i = 0; i < columns.length; i++) {
      const c = this.positions.get(columns[i]);
      if (c !== undefined && map[c] === -1) map[c] = i;
      if (c !== i) identical = false;
    }
    this.lastOrder = [...columns];
    this.lastMap = identical ? undefined : map;
    return this.lastMap;
  }
}
