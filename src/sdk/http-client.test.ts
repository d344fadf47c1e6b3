import { expect, it } from 'vitest';
import { HttpClient } from './http-client.js';

it('never repeats a password from the base URL when the server cannot be reached', async () => {
  const client = new HttpClient({ baseUrl: 'http://alice:S3cretPW@127.0.0.1:1' });
  const failure = client.request('GET', '/healthz');
  await expect(failure).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  await expect(failure).rejects.toThrow('http://alice:****@127.0.0.1:1');
  await expect(failure).rejects.not.toThrow(/S3cretPW/);
});
