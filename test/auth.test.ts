// Authentication as clients meet it: API tokens over Bearer and Basic (what MLflow clients
// send), bogus credentials refused even where auth is optional, revocation, per-resource
// grants, OIDC JWTs from a real issuer on loopback, the audit log and rate limits.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import mlflowPackage from 'mlflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCliOn } from '../src/cli/test-cli.js';
import { buildApp, listen } from '../src/server/index.js';
import { createTestGyre, describeEachGyre, type TestGyre } from '../src/test-gyre.js';

const MLflow = mlflowPackage as unknown as typeof mlflowPackage.default;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describeEachGyre(
  'API tokens',
  (ctx) => {
    let app: FastifyInstance;
    beforeEach(async () => {
      app = await buildApp(ctx.gyre, { version: 'test' });
    });
    afterEach(() => app.close());

    const createExperiment = (headers: Record<string, string>, name = 'e') =>
      app.inject({ method: 'POST', url: '/api/v1/experiments', headers, payload: { name } });

    it('accepts a token as Bearer and as the Basic password, and names the caller', async () => {
      const created = await runCliOn(
        ctx.gyre,
        'tokens',
        'create',
        '--name',
        'ci',
        '--role',
        'editor',
      );
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^gyre_[0-9a-f]{16}\.[\w-]{43}$/);
      expect(created.stderr).toContain('shown only now');

      expect((await createExperiment({})).statusCode).toBe(401);
      expect((await createExperiment(bearer(token), 'a')).statusCode).toBe(201);
      expect((await createExperiment(basic('anyone', token), 'b')).statusCode).toBe(201);
      const me = await app.inject({ url: '/api/v1/whoami', headers: bearer(token) });
      expect(me.json()).toEqual({ name: 'token:ci', role: 'editor', via: 'token' });
      // A run created with the token carries its name as the user, whatever the client claims.
      const run = await app.inject({
        method: 'POST',
        url: '/api/v1/runs',
        headers: bearer(token),
        payload: { experimentId: '0', userId: 'someone-else' },
      });
      expect(run.json().info.userId).toBe('token:ci');

      const listed = await runCliOn(ctx.gyre, 'tokens', 'list', '--json');
      expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'ci', role: 'editor' }]);
      expect(listed.stdout).not.toContain(token.split('.')[1]);
    });

    it('refuses unknown, malformed and revoked tokens with 401', async () => {
      const { token } = await ctx.gyre.auth.tokens.create({
        name: 'temp',
        role: 'admin',
        createdBy: 'test',
      });
      for (const headers of [
        bearer('gyre_0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
        bearer('not-a-token'),
        basic('x', 'wrong'),
        { authorization: 'Digest abc' },
      ]) {
        const res = await createExperiment(headers);
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
      expect((await runCliOn(ctx.gyre, 'tokens', 'revoke', 'temp')).code).toBe(0);
      expect((await createExperiment(bearer(token))).statusCode).toBe(401);
    });

    it('lets a grant raise a viewer to EDIT on one experiment only', async () => {
      const { token } = await ctx.gyre.auth.tokens.create({
        name: 'analyst',
        role: 'viewer',
        createdBy: 'test',
      });
      const one = await ctx.gyre.tracking.experiments.create({ name: 'one' });
      const two = await ctx.gyre.tracking.experiments.create({ name: 'two' });
      const granted = await runCliOn(
        ctx.gyre,
        'permissions',
        'grant',
        'token:analyst',
        'EDIT',
        '--experiment',
        one.experimentId,
      );
      expect(granted.stdout).toBe(`token:analyst has EDIT on experiment ${one.experimentId}\n`);
      const runIn = (experimentId: string) =>
        app.inject({
          method: 'POST',
          url: '/api/2.0/mlflow/runs/create',
          headers: bearer(token),
          payload: { experiment_id: experimentId },
        });
      const allowed = await runIn(one.experimentId);
      expect(allowed.statusCode).toBe(200);
      const denied = await runIn(two.experimentId);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error_code).toBe('PERMISSION_DENIED');
      // Logging to the run in the granted experiment goes through the run's experiment.
      const logged = await app.inject({
        method: 'POST',
        url: '/api/2.0/mlflow/runs/log-metric',
        headers: bearer(token),
        payload: { run_id: allowed.json().run.info.run_id, key: 'rmse', value: 1, timestamp: 1 },
      });
      expect(logged.statusCode).toBe(200);
    });

    it('audits every mutation with who, what, outcome and request id, but not run telemetry', async () => {
      const { token } = await ctx.gyre.auth.tokens.create({
        name: 'writer',
        role: 'editor',
        createdBy: 'test',
      });
      const made = await app.inject({
        method: 'POST',
        url: '/api/2.0/mlflow/runs/create',
        headers: { ...bearer(token), 'x-request-id': 'audit-me' },
        payload: { experiment_id: '0' },
      });
      const runId = made.json().run.info.run_id;
      await app.inject({
        method: 'POST',
        url: '/api/2.0/mlflow/runs/log-metric',
        headers: bearer(token),
        payload: { run_id: runId, key: 'loss', value: 0.5, timestamp: 1 },
      });
      await createExperiment(
        bearer('gyre_0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      );
      await app.close(); // flushes the audit writer
      const entries = await ctx.gyre.auth.audit.list();
      expect(entries.map((e) => [e.principal, e.action, e.outcome])).toEqual([
        ['token:writer', 'POST /api/2.0/mlflow/runs/create', 'ok'],
        ['unauthenticated', 'POST /api/v1/experiments', 'http 401'],
      ]);
      expect(entries[0]).toMatchObject({ requestId: 'audit-me', target: 'experiment:0' });
      expect(entries[1].target).toBe('-');
      expect(JSON.stringify(entries)).not.toContain(token);

      await runCliOn(ctx.gyre, 'experiments', 'create', 'from-cli');
      const cli = JSON.parse((await runCliOn(ctx.gyre, 'audit', 'list', '--json')).stdout);
      expect(cli.at(-1)).toMatchObject({ action: 'cli experiments create', outcome: 'ok' });
      expect(cli.at(-1).principal).toMatch(/^local:/);
    });
  },
  { env: { GYRE_AUTH_ENABLED: 'true' } },
);

describe('authentication left off on loopback', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  beforeAll(async () => {
    test = await createTestGyre('sqlite');
    app = await buildApp(test.gyre, { version: 'test' });
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('serves requests without credentials but never ignores bogus ones', async () => {
    expect((await app.inject('/api/v1/experiments')).statusCode).toBe(200);
    const bogus = await app.inject({ url: '/api/v1/experiments', headers: bearer('made-up') });
    expect(bogus.statusCode).toBe(401);
    const deleted = await app.inject({
      method: 'DELETE',
      url: '/api/v1/models/x',
      headers: basic('admin', 'admin'),
    });
    expect(deleted.statusCode).toBe(401);
  });
});

describe('mutation rate limits', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  beforeAll(async () => {
    test = await createTestGyre('sqlite', { env: { GYRE_RATE_LIMIT_PER_MINUTE: '3' } });
    app = await buildApp(test.gyre, { version: 'test' });
  });
  afterAll(async () => {
    await app.close();
    await test.close();
  });

  it('answers 429 RESOURCE_EXHAUSTED past the limit, and leaves reads alone', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        payload: { name: `e${i}` },
      });
      statuses.push(res.statusCode);
      if (i === 3) {
        expect(res.json().error.code).toBe('RESOURCE_EXHAUSTED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await app.inject('/api/v1/experiments')).statusCode).toBe(200);
  });
});

describe('OIDC bearer tokens from a real issuer', () => {
  let issuer: Server;
  let issuerUrl: string;
  let privateKey: CryptoKey;
  let test: TestGyre;
  let app: FastifyInstance;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuer = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        res.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` }));
      else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
    test = await createTestGyre('sqlite', {
      env: {
        GYRE_AUTH_ENABLED: 'true',
        GYRE_OIDC_ISSUER: issuerUrl,
        GYRE_OIDC_AUDIENCE: 'gyre',
        GYRE_OIDC_ROLE_MAP: 'ml-admins=admin,ml-team=editor',
      },
    });
    app = await buildApp(test.gyre, { version: 'test' });
  });
  afterAll(async () => {
    await app.close();
    await test.close();
    await new Promise((resolve) => issuer.close(resolve));
  });

  const jwt = (claims: Record<string, unknown>, options: { iss?: string; aud?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.iss ?? issuerUrl)
      .setAudience(options.aud ?? 'gyre')
      .setSubject('alice@example.com')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  it('maps a group claim to a role, and refuses wrong issuers, audiences and unmapped users', async () => {
    const me = await app.inject({
      url: '/api/v1/whoami',
      headers: bearer(await jwt({ groups: ['other', 'ml-team'] })),
    });
    expect(me.json()).toEqual({ name: 'oidc:alice@example.com', role: 'editor', via: 'oidc' });
    for (const token of [
      await jwt({ groups: ['ml-team'] }, { iss: 'http://evil.example' }),
      await jwt({ groups: ['ml-team'] }, { aud: 'someone-else' }),
      await jwt({ groups: ['nobody'] }),
    ]) {
      expect((await app.inject({ url: '/api/v1/whoami', headers: bearer(token) })).statusCode).toBe(
        401,
      );
    }
  });
});

describe('the npm mlflow client with a token', () => {
  let test: TestGyre;
  let app: FastifyInstance;
  let url: string;
  let token: string;
  beforeAll(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    test = await createTestGyre('sqlite', { env: { GYRE_AUTH_ENABLED: 'true' } });
    token = (await test.gyre.auth.tokens.create({ name: 'nb', role: 'editor', createdBy: 't' }))
      .token;
    app = await buildApp(test.gyre, { version: 'test' });
    url = await listen(app, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await test.close();
    vi.restoreAllMocks();
  });

  it('logs a run when it sends the token, and is refused without it', async () => {
    const client = new MLflow({ endpoint: url, headers: bearer(token) });
    const { experiment_id } = await client.Experiments.create({
      name: 'secured',
      artifact_location: '',
    });
    const { run } = await client.Runs.create({
      experiment_id,
      user_id: 'nb',
      start_time: Date.now(),
    });
    await client.Runs.logMetric({ run_id: run.info.run_id, key: 'auc', value: 0.9, timestamp: 1 });
    const anonymous = new MLflow({ endpoint: url });
    await expect(
      anonymous.Experiments.create({ name: 'nope', artifact_location: '' }),
    ).rejects.toThrow();
  });
});
