import { InvalidArgumentError } from '../../core/index.js';

/** A request's inputs do not fit the model's signature; names the column (and row). */
export class InputError extends InvalidArgumentError {
  constructor(column: string, message: string, row?: number) {
    super(`column "${column}"${row !== undefined && row > 0 ? ` (row ${row})` : ''}: ${message}`, {
      field: column,
      ...(row !== undefined ? { row } : {}),
    });
  }
}

/** Malformed request bodies: not the column's fault, names the field of the protocol. */
export function badRequest(field: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`${field}: ${message}`, { field });
}
