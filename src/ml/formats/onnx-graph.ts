import { ProtobufWriter } from './protobuf-writer.js';

/** ONNX attribute values Gyre writes. */
export type OnnxAttr =
  number | string | number[] | string[] | { floats: ArrayLike<number> } | { float: number };

/** ONNX tensor element types used here. */
export const ONNX_TYPE = { FLOAT: 1, STRING: 8, INT64: 7 } as const;

export const ONNX_OPSET = 17;
export const ML_OPSET = 3;

interface OnnxNode {
  op: string;
  domain: '' | 'ai.onnx.ml';
  inputs: string[];
  outputs: string[];
  attrs: Record<string, OnnxAttr>;
}

interface ValueInfo {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

/**
 * A small ONNX graph under construction: nodes in order, graph inputs and outputs. Gyre
 * writes ONNX with its own protobuf writer, so ml needs no protobuf or ONNX dependency.
 */
export class OnnxGraph {
  private readonly nodes: OnnxNode[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private counter = 0;

  /** A fresh intermediate tensor name. */
  name(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, elemType: number, dims: (number | string)[]): string {
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  output(name: string, elemType: number, dims: (number | string)[]): void {
    this.outputs.push({ name, elemType, dims });
  }

  /** Adds a node; returns its outputs' names. */
  node(
    op: string,
    inputs: string[],
    outputs: string[],
    attrs: Record<string, OnnxAttr> = {},
    domain: '' | 'ai.onnx.ml' = 'ai.onnx.ml',
  ): string[] {
    this.nodes.push({ op, domain, inputs, outputs, attrs });
    return outputs;
  }

  /** The serialized ModelProto (IR 8, ai.onnx 17, ai.onnx.ml 3). */
  toBytes(): Uint8Array {
    const w = new ProtobufWriter();
    w.int(1, 8); // ir_version
    w.string(2, 'gyre');
    w.string(3, '0.1.0');
    w.message(7, (g) => {
      this.nodes.forEach((n, i) =>
        g.message(1, (node) => {
          for (const name of n.inputs) node.string(1, name);
          for (const name of n.outputs) node.string(2, name);
          node.string(3, `${n.op}_${i}`);
          node.string(4, n.op);
          node.string(7, n.domain);
          for (const [name, value] of Object.entries(n.attrs)) attribute(node, name, value);
        }),
      );
      g.string(2, 'gyre_model');
      for (const v of this.inputs) valueInfo(g, 11, v);
      for (const v of this.outputs) valueInfo(g, 12, v);
    });
    w.message(8, (o) => o.string(1, '').int(2, ONNX_OPSET));
    w.message(8, (o) => o.string(1, 'ai.onnx.ml').int(2, ML_OPSET));
    return w.finish();
  }
}

function attribute(w: ProtobufWriter, name: string, value: OnnxAttr): void {
  w.message(5, (a) => {
    a.string(1, name);
    if (typeof value === 'number') a.int(20, 2).int(3, value);
    else if (typeof value === 'string') a.int(20, 3).string(4, value);
    else if ('float' in value) a.int(20, 1).float(2, value.float);
    else if ('floats' in value) a.int(20, 6).packedFloats(7, value.floats);
    else if (value.length > 0 && typeof value[0] === 'string') {
      a.int(20, 8);
      for (const s of value as string[]) a.string(9, s);
    } else a.int(20, 7).packedInts(8, value as number[]);
  });
}

function valueInfo(w: ProtobufWriter, field: number, v: ValueInfo): void {
  w.message(field, (info) => {
    info.string(1, v.name);
    info.message(2, (t) =>
      t.message(1, (tensor) => {
        tensor.int(1, v.elemType);
        tensor.message(2, (shape) => {
          for (const d of v.dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
          }
        });
      }),
    );
  });
}
