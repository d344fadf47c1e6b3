import { randomBytes, randomUUID } from 'node:crypto';

/** 32 lowercase hex characters, the shape MLflow uses for run ids. */
export function newHexId(): string {
  return randomBytes(16).toString('hex');
}

export function newUuid(): string {
  return randomUUID();
}

/** A short id for correlating a request across logs and error bodies. */
export function newRequestId(): string {
  return randomBytes(8).toString('hex');
}
