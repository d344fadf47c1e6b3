// Who may do what, route by route: every registered route declares the access it needs, and
// each role gets exactly what that declaration promises (401 without credentials, 403 below
// the needed permission, anything else at or above it) — with authentication on.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/index.js';
import type { RouteAccess } from '../src/server/auth/route-access.js';
import { buildApp } from '../src/server/index.js';
import { createTestGyre, type TestGyre } from '../src/test-gyre.js';

const ROLE_ORDER = ['viewer', 'editor', 'admin'] as const;
const NEEDED_ROLE: Record<Exclude<RouteAccess['permission'], 'PUBLIC'>, Role> = {
  READ: 'viewer',
  EDIT: 'editor',
  MANAGE: 'admin',
};

/** What a role (or no credentials) must get from a route that needs `access`. */
function expected(access: RouteAccess, role: Role | 'none'): 'allowed' | 401 | 403 {
  if (access.permission === 'PUBLIC') return 'allowed';
  if (role === 'none') return 401;
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(NEEDED_ROLE[access.permission])
    ? 'allowed'
    : 403;
}

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, '1/x/artifacts/f');

describe('the permission matrix, every route × every role', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  const routes: RouteOptions[] = [];
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    test = await createTestGyre('sqlite', {
      env: { GYRE_AUTH_ENABLED: 'true', GYRE_RATE_LIMIT_PER_MINUTE: '100000' },
    });
    app = await buildApp(test.gyre, { version: 'test', onRoute: (r) => void routes.push(r) });
    for (const role of ROLE_ORDER)
      tokens[role] = (
        await test.gyre.auth.tokens.create({ name: role, role, createdBy: 'test' })
      ).token;
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('finds that every registered route declares its access', () => {
    expect(routes.length).toBeGreaterThan(100);
    const undeclared = routes.filter((r) => !r.config?.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('refuses to register a route that declares none', async () => {
    const other = await buildApp(test.gyre, { version: 'test' });
    expect(() => other.get('/api/v1/undeclared', async () => ({}))).toThrow(/declares no access/);
    await other.close();
  });

  it('answers each role as its declaration says', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const access = route.config!.access!;
      const methods = ([] as string[]).concat(route.method).filter((m) => m !== 'HEAD');
      for (const method of methods) {
        for (const role of ['none', ...ROLE_ORDER] as const) {
          const res = await app.inject({
            method: method as 'GET',
            url: concrete(route.url),
            headers: role === 'none' ? {} : { authorization: `Bearer ${tokens[role]}` },
            ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
          });
          const want = expected(access, role);
          const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'allowed';
          if (got !== want)
            mismatches.push(
              `${method} ${route.url} as ${role}: want ${want}, got ${res.statusCode}`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
