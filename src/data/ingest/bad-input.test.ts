import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDatabase } from '../../db/test-database.js';
import { createDataFixture, parquetWithNoColumns, type DataFixture } from '../test-data.js';

describeEachDatabase('bad input is refused and registers nothing', (ctx) => {
  let f: DataFixture;
  beforeEach(() => {
    f = createDataFixture(ctx.db);
  });
  afterEach(() => f.cleanup());

  async function refused(name: string, content: string | Buffer, message: RegExp) {
    const path = f.write(name, content);
    await expect(f.service.ingest({ source: path, name: 'bad' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(message),
    });
    expect(await f.service.listDatasets()).toEqual([]);
    expect(await f.artifacts.list('', { recursive: true })).toEqual([]);
  }

  it('names the line of a ragged row', async () => {
    await refused(
      'ragged.csv',
      'a,b,c\n1,2,3\n4,5\n6,7,8\n',
      /^.*ragged\.csv line 3: expected 3 fields \(as in the header\), found 2$/,
    );
  });

  it('names the line of broken quoting', async () => {
    await refused(
      'open-quote.csv',
      'a,b\n1,"never closed\n2,3\n',
      /open-quote\.csv line 2: a quoted field is never closed/,
    );
    await refused(
      'after-quote.csv',
      'a,b\n1,"x"y\n',
      /after-quote\.csv line 2: unexpected text after a closing quote/,
    );
    await refused(
      'stray-quote.csv',
      'a,b\n1,ab"c\n',
      /stray-quote\.csv line 2: a quote inside an unquoted field/,
    );
  });

  it('accepts quoted delimiters, doubled quotes and newlines inside quotes', async () => {
    const path = f.write('fine.csv', 'a,b\r\n1,"x, ""y"""\r\n2,"two\nlines"\r\n');
    const { version } = await f.service.ingest({ source: path, name: 'fine' });
    expect(version.rowCount).toBe(2);
  });

  it('accepts a missing final newline, CRLF, a byte-order mark and blank lines', async () => {
    const files = {
      'no-newline.csv': 'a,b\n1,2\n3,4',
      'crlf.csv': 'a,b\r\n1,2\r\n3,4\r\n',
      'bom.csv': '\ufeffa,b\n1,2\n3,4\n',
      'blank.csv': 'a,b\n1,2\n\n3,4\n',
    };
    for (const [name, content] of Object.entries(files)) {
      const { version } = await f.service.ingest({ source: f.write(name, content), name: 'ok' });
      expect(version.rowCount, name).toBe(2);
      expect(
        version.schema.map((c) => c.name),
        name,
      ).toEqual(['a', 'b']);
    }
  });

  it('names the line of bytes that are not UTF-8', async () => {
    await refused(
      'latin1.csv',
      Buffer.concat([Buffer.from('a,b\n1,ok\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      /latin1\.csv line 3: is not valid UTF-8/,
    );
    await refused(
      'latin1.ndjson',
      Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xff]), Buffer.from('"}\n')]),
      /latin1\.ndjson line 1: is not valid UTF-8/,
    );
  });

  it('refuses an empty file', async () => {
    await refused('empty.csv', '', /empty\.csv is empty/);
    await refused('empty.parquet', '', /empty\.parquet/);
  });

  it('refuses a Parquet file with no columns', async () => {
    await refused(
      'nocols.parquet',
      parquetWithNoColumns(),
      /nocols\.parquet.*(no columns|non-root column)/,
    );
  });

  it('refuses malformed JSON naming the file', async () => {
    await refused('broken.json', '[{"a": 1}, {"a": ', /cannot read \S*broken\.json as json: /);
  });

  it('refuses unknown formats and override columns', async () => {
    await refused('data.xlsx', 'x', /cannot tell the format of data\.xlsx/);
    const path = f.write('ok.csv', 'a\n1\n');
    await expect(
      f.service.ingest({ source: path, name: 'ok', types: { nope: 'integer' } }),
    ).rejects.toThrow(/type override names column "nope"/);
    await expect(
      f.service.ingest({ source: path, name: 'ok', types: { a: 'float' } }),
    ).rejects.toThrow(/type override for "a" is "float"/);
    await expect(f.service.ingest({ source: path, name: '../etc' })).rejects.toThrow(
      /not a valid dataset name/,
    );
    await expect(
      f.service.ingest({ source: f.write('t.csv', 'a\nx\n'), name: 't', types: { a: 'integer' } }),
    ).rejects.toThrow(/t\.csv line 2: a value "x" is not an integer/);
    expect(await f.service.listDatasets()).toEqual([]);
  });
});
