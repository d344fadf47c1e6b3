import { describe, expect, it } from 'vitest';
import { maskUrlPassword, maskUrlsInText } from './mask-url-password.js';

describe('maskUrlPassword', () => {
  it.each([
    ['postgres://gyre:hunter2@db:5432/gyre', 'postgres://gyre:****@db:5432/gyre'],
    ['mysql://alice:S3cretPW@h/db', 'mysql://alice:****@h/db'],
    // The userinfo ends at the last '@' before the host, as URL parsers read it.
    ['postgres://alice:p@ss:w0rd@h/db', 'postgres://alice:****@h/db'],
    ['https://user:pa%20ss@example.com/x?y=1#z', 'https://user:****@example.com/x?y=1#z'],
  ])('masks the password of %s', (url, masked) => {
    expect(maskUrlPassword(url)).toBe(masked);
  });

  it.each([
    ['postgres://db/gyre?user=gyre&password=hunter2', 'postgres://db/gyre?user=gyre&password=****'],
    [
      'postgres://db/gyre?sslpassword=k3y&sslmode=require',
      'postgres://db/gyre?sslpassword=****&sslmode=require',
    ],
    ['https://h/x?token=abc&api_key=def&page=2', 'https://h/x?token=****&api_key=****&page=2'],
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=f00d',
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=****&X-Amz-Signature=****',
    ],
    ['postgres://u:p@db/gyre?PASSWORD=x', 'postgres://u:****@db/gyre?PASSWORD=****'],
  ])('masks secret query parameters of %s', (url, masked) => {
    expect(maskUrlPassword(url)).toBe(masked);
  });

  it.each([
    'postgres://gyre@db/gyre',
    'sqlite:/srv/gyre.db',
    'sqlite:relative/gyre.db',
    '/srv/artifacts',
    's3://bucket/prefix',
    'https://example.com/a@b?q=1',
    '',
  ])('leaves %j alone: it holds no secret', (text) => {
    expect(maskUrlPassword(text)).toBe(text);
  });

  it.each([
    // Not parseable as URLs (a bad port, a space in the host); the userinfo still goes.
    ['postgres://alice:S3cret@db:notaport/gyre', 'postgres://****@db:notaport/gyre'],
    ['postgres://alice:S3c ret@d b/gyre', 'postgres://****@d b/gyre'],
    ['postgres://alice:a/b@c@db/gyre', 'postgres://****@db/gyre'],
    ['s3://AKIAEXAMPLE:wJalr/XUtnFEMI@bucket/prefix', 's3://****@bucket/prefix'],
    // No scheme at all, as typed by hand.
    ['alice:S3cret@db:5432/gyre', '****@db:5432/gyre'],
    ['host=db password=S3cret user=gyre', 'host=db password=**** user=gyre'],
  ])('masks what it can recognise in an unparseable %j', (text, masked) => {
    expect(maskUrlPassword(text)).toBe(masked);
    expect(maskUrlPassword(text)).not.toContain('S3c');
  });
});

it('masks every URL inside free text, such as an error message', () => {
  expect(
    maskUrlsInText(
      'Request cannot be constructed from a URL that includes credentials: http://u:pw@h:1/x?token=t',
    ),
  ).toBe(
    'Request cannot be constructed from a URL that includes credentials: http://u:****@h:1/x?token=****',
  );
});
