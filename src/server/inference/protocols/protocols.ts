// The three protocols as the inference handler drives them: how each parses a body, finds
// an A/B routing key in it, checks what it asks for, and writes answers and errors.
import type { IncomingMessage } from 'node:http';
import { InvalidArgumentError } from '../../../core/index.js';
import type { BatchDecoder, InferenceResult, RoutingTable } from '../../../serving/index.js';
import {
  kserveDecoder,
  kserveRoutingField,
  parseKserveRequest,
  type KserveRequest,
} from './kserve-v1.js';
import {
  mlflowDecoder,
  mlflowError,
  mlflowResponse,
  mlflowRoutingField,
  parseMlflowRequest,
  type MlflowRequest,
} from './mlflow-scoring.js';
import { predictionsJson } from './number-json.js';
import {
  oipDecoder,
  oipError,
  oipResponse,
  oipRoutingField,
  parseOipRequest,
  type OipRequest,
} from './oip-v2.js';

/** How one protocol reads, routes and answers. */
export interface Protocol<B> {
  parse(text: string, req: IncomingMessage): B;
  decoder: BatchDecoder<B>;
  routingField(body: B, field: string): string | undefined;
  /** Throws before predicting when the request asks for something the model lacks. */
  precheck?(body: B, table: RoutingTable | undefined): void;
  answer(name: string, result: InferenceResult, body: B): string;
  error(code: string, message: string): string;
}

export const mlflow: Protocol<MlflowRequest> = {
  parse: (text, req) => parseMlflowRequest(req.headers['content-type'], text),
  decoder: mlflowDecoder,
  routingField: mlflowRoutingField,
  answer: (_name, r) =>
    mlflowResponse(r.predictions, r.batch.numRows, r.route.signature.numOutputs),
  error: mlflowError,
};

export const oip: Protocol<OipRequest> = {
  parse: parseOipRequest,
  decoder: oipDecoder,
  routingField: oipRoutingField,
  precheck(body, table) {
    if (!body.outputs || !table) return;
    const names = table.primary.signature.signature.outputs.map((o) => o.name);
    const unknown = body.outputs.find((o) => !names.includes(o));
    if (unknown !== undefined)
      throw new InvalidArgumentError(
        `outputs: the model has no output "${unknown}" (outputs: ${names.join(', ')})`,
        {
          field: 'outputs',
        },
      );
  },
  answer: (name, r, body) => oipResponse(name, r.route, body, r.predictions, r.batch.numRows),
  error: (_code, message) => oipError(message),
};

export const kserve: Protocol<KserveRequest> = {
  parse: parseKserveRequest,
  decoder: kserveDecoder,
  routingField: kserveRoutingField,
  answer: (_name, r) =>
    `{"predictions":${predictionsJson(r.predictions, r.batch.numRows, r.route.signature.numOutputs)}}`,
  error: (_code, message) => oipError(message),
};
