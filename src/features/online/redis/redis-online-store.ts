import { UnavailableError } from '../../../core/index.js';
import type { OnlineRecord, OnlineStore, OnlineValue, OnlineWrite } from '../online-store.js';

/** The part of node-redis this store uses (the package loads on first use). */
interface RedisConnection {
  connect(): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  close(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Keys per script call or MGET: one round trip each, bounded in size. */
const CHUNK = 500;

// Sets each key to `<eventMs>|<json>` unless it holds a newer event time: materializations
// that overlap or arrive late never move a value back in time. Atomic per call.
const WRITE_NEWER = `
for i = 1, #KEYS do
  local t = tonumber(ARGV[2 * i - 1])
  local cur = redis.call('GET', KEYS[i])
  local ct = cur and tonumber(string.match(cur, '^(-?%d+)|'))
  if not ct or ct <= t then
    redis.call('SET', KEYS[i], ARGV[2 * i - 1] .. '|' .. ARGV[2 * i])
  end
end
return #KEYS`;

/**
 * The online store in Redis, for teams that run it: one string per view and entity
 * (`gyre:features:<view>:<entity key>` → `<event ms>|<values as JSON>`), read with MGET.
 */
export class RedisOnlineStore implements OnlineStore {
  readonly kind = 'redis';
  private connection: Promise<RedisConnection> | undefined;

  constructor(
    private readonly url: string,
    private readonly prefix = 'gyre:features:',
  ) {}

  private client(): Promise<RedisConnection> {
    this.connection ??= (async () => {
      const { createClient } = await import('redis');
      let connected = false;
      const client = createClient({
        url: this.url,
        socket: {
          connectTimeout: 5000,
          // A server that cannot be reached at first fails the call; a dropped connection
          // of a running one is retried.
          reconnectStrategy: (retries: number, cause: Error) =>
            connected ? Math.min(retries * 100, 2000) : cause,
        },
      }) as unknown as RedisConnection;
      // Without a listener node-redis would crash the process on a dropped connection.
      client.on('error', () => {});
      try {
        await client.connect();
        connected = true;
      } catch (error) {
        this.connection = undefined;
        throw new UnavailableError(`online store: cannot reach Redis: ${(error as Error).message}`);
      }
      return client;
    })();
    return this.connection;
  }

  private key(view: string, entityKey: string): string {
    return `${this.prefix}${view}:${entityKey}`;
  }

  async write(view: string, rows: readonly OnlineWrite[]): Promise<void> {
    const client = await this.client();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      calls.push(
        client.eval(WRITE_NEWER, {
          keys: chunk.map((r) => this.key(view, r.entityKey)),
          arguments: chunk.flatMap((r) => [
            String(Math.trunc(r.eventMs)),
            JSON.stringify(r.values),
          ]),
        }),
      );
    }
    await Promise.all(calls);
  }

  async read(view: string, entityKeys: readonly string[]): Promise<(OnlineRecord | undefined)[]> {
    if (entityKeys.length === 0) return [];
    const client = await this.client();
    const out: (OnlineRecord | undefined)[] = [];
    for (let i = 0; i < entityKeys.length; i += CHUNK) {
      const values = await client.mGet(
        entityKeys.slice(i, i + CHUNK).map((k) => this.key(view, k)),
      );
      for (const v of values) out.push(v === null ? undefined : decode(v));
    }
    return out;
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }
}

function decode(stored: string): OnlineRecord | undefined {
  const bar = stored.indexOf('|');
  if (bar < 0) return undefined;
  return {
    eventMs: Number(stored.slice(0, bar)),
    values: JSON.parse(stored.slice(bar + 1)) as Record<string, OnlineValue>,
  };
}
