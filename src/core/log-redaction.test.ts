import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { LOG_REDACTION } from './log-redaction.js';

it('redacts credentials, tokens, passwords and the database URL password from log lines', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'info', redact: LOG_REDACTION }, sink);
  logger.info(
    {
      req: { headers: { authorization: 'Bearer gyre_t0ken', cookie: 'sid=c00kie', host: 'h' } },
      token: 'gyre_t0ken',
      user: { password: 'hunter2', name: 'alice' },
      s3: { secretAccessKey: 'wJalrXUtnFEMI' },
      database: { url: 'postgres://gyre:hunter2@db:5432/gyre' },
    },
    'request',
  );
  const line = JSON.parse(lines[0]) as Record<string, unknown>;
  expect(line).toMatchObject({
    req: { headers: { authorization: '****', cookie: '****', host: 'h' } },
    token: '****',
    user: { password: '****', name: 'alice' },
    s3: { secretAccessKey: '****' },
    database: { url: 'postgres://gyre:****@db:5432/gyre' },
  });
  for (const secret of ['t0ken', 'c00kie', 'hunter2', 'wJalr'])
    expect(lines[0]).not.toContain(secret);
});
