import { createReadStream } from 'node:fs';
import { InvalidArgumentError } from '../../core/index.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** What the structural check learned about a delimited file. */
export interface TextFileShape {
  bytes: number;
  /** Data records (the header not counted); 0 for JSON. */
  records: number;
  /** Fields in the header; 0 for JSON. */
  columns: number;
  /**
   * The line a data record starts on (records counted from 0 after the header), so errors
   * found later in DuckDB's table can point into the file. Meaningful for delimited files.
   */
  lineOfRecord(record: number): number;
}

/**
 * Maps record numbers to lines by remembering only where the two drift apart (blank lines,
 * newlines inside quotes): `shifts` holds pairs [first record, line minus record number].
 */
function recordLines(shifts: number[]): (record: number) => number {
  return (record) => {
    let shift = 2; // the header on line 1, the first record on line 2
    for (let lo = 0, hi = shifts.length / 2 - 1; lo <= hi;) {
      const mid = (lo + hi) >> 1;
      if (shifts[mid * 2] <= record) {
        shift = shifts[mid * 2 + 1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return record + shift;
  };
}

/**
 * Checks a text file before DuckDB reads it, because DuckDB's sniffer "recovers" from broken
 * input silently (a ragged CSV becomes one wide VARCHAR column; a stray quote becomes data).
 * One streaming pass checks UTF-8 and, for delimited files, RFC 4180 quoting and that every
 * record has as many fields as the header. Errors name the file and the line.
 */
export async function checkTextFile(
  path: string,
  displayName: string,
  delimiter?: ',' | '\t',
): Promise<TextFileShape> {
  const delim = delimiter?.charCodeAt(0);
  const fail = (line: number, why: string): never => {
    throw new InvalidArgumentError(`${displayName} line ${line}: ${why}`, {
      file: displayName,
      line,
    });
  };
  let bytes = 0;
  let line = 1;
  let utf8Pending = 0;
  // Delimited-file state.
  let inQuotes = false;
  let afterQuote = false;
  let fieldStart = true;
  let quoteLine = 0;
  let fields = 1;
  let recordHasContent = false;
  let recordLine = 1;
  let expected = 0;
  let records = 0;
  const shifts: number[] = [];
  let shift = 2;

  const endRecord = (): void => {
    if (recordHasContent) {
      if (expected === 0) expected = fields;
      else if (fields !== expected)
        fail(recordLine, `expected ${expected} fields (as in the header), found ${fields}`);
      else {
        if (recordLine - records !== shift) {
          shift = recordLine - records;
          shifts.push(records, shift);
        }
        records++;
      }
    }
    fields = 1;
    fieldStart = true;
    recordHasContent = false;
    afterQuote = false;
  };

  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      // UTF-8: a lead byte announces how many continuation bytes (10xxxxxx) follow.
      if (utf8Pending > 0) {
        if ((b & 0xc0) !== 0x80) fail(line, 'is not valid UTF-8 (re-encode the file as UTF-8)');
        utf8Pending--;
        if (delim !== undefined) {
          if (afterQuote) fail(line, 'unexpected text after a closing quote');
          recordHasContent = true;
          fieldStart = false;
        }
        continue;
      }
      if (b >= 0x80) {
        if (b >= 0xc2 && b <= 0xdf) utf8Pending = 1;
        else if (b >= 0xe0 && b <= 0xef) utf8Pending = 2;
        else if (b >= 0xf0 && b <= 0xf4) utf8Pending = 3;
        else fail(line, 'is not valid UTF-8 (re-encode the file as UTF-8)');
      }
      if (b === LF) line++;
      if (delim === undefined) continue;

      if (inQuotes) {
        if (b === QUOTE) {
          inQuotes = false;
          afterQuote = true;
        }
        continue;
      }
      if (afterQuote) {
        if (b === QUOTE) {
          // A doubled quote inside a quoted field stands for one quote.
          inQuotes = true;
          afterQuote = false;
          continue;
        }
        if (b !== delim && b !== LF && b !== CR)
          fail(line, 'unexpected text after a closing quote');
      }
      if (b === LF) {
        endRecord();
        recordLine = line;
      } else if (b === CR) {
        continue;
      } else if (b === delim) {
        fields++;
        fieldStart = true;
        afterQuote = false;
        recordHasContent = true;
      } else if (b === QUOTE) {
        if (!fieldStart) fail(line, 'a quote inside an unquoted field (quote the whole field)');
        inQuotes = true;
        quoteLine = line;
        recordHasContent = true;
        fieldStart = false;
      } else {
        recordHasContent = true;
        fieldStart = false;
      }
    }
    bytes += chunk.length;
  }
  if (bytes === 0) throw new InvalidArgumentError(`${displayName} is empty`, { file: displayName });
  if (utf8Pending > 0) fail(line, 'is not valid UTF-8 (the file ends inside a character)');
  if (inQuotes) fail(quoteLine, 'a quoted field is never closed');
  if (delim !== undefined) {
    endRecord();
    if (expected === 0)
      throw new InvalidArgumentError(`${displayName} has no header line`, { file: displayName });
  }
  return { bytes, records, columns: expected, lineOfRecord: recordLines(shifts) };
}
