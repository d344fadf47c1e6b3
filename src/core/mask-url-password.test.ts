import { expect, it } from 'vitest';
import { maskUrlPassword } from './mask-url-password.js';

it('masks only the password of a URL', () => {
  expect(maskUrlPassword('postgres://gyre:hunter2@db:5432/gyre')).toBe(
    'postgres://gyre:****@db:5432/gyre',
  );
  expect(maskUrlPassword('postgres://gyre@db/gyre')).toBe('postgres://gyre@db/gyre');
  expect(maskUrlPassword('sqlite:/srv/gyre.db')).toBe('sqlite:/srv/gyre.db');
});
