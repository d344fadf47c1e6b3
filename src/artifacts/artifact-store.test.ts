// One contract, every backend: local disk and S3 (s3rver on loopback, from the test setup).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArtifactStore } from './artifact-store.js';
import { putBytesContentAddressed, sha256Hex } from './content-address.js';
import { openArtifactStore } from './open-artifact-store.js';
import { readArtifact } from './read-artifact.js';
import { scratchS3Store } from './test-s3rver.js';

interface Backend {
  name: string;
  open(): { store: ArtifactStore; cleanup(): Promise<void> };
}

const BACKENDS: Backend[] = [
  {
    name: 'local',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'gyre-artifacts-'));
      return {
        store: openArtifactStore(dir),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3',
    open: () => scratchS3Store('run'),
  },
];

const text = async (store: ArtifactStore, path: string) =>
  (await readArtifact(store, path)).toString('utf8');

describe.each(BACKENDS)('ArtifactStore contract [$name]', (backend) => {
  let store: ArtifactStore;
  let cleanup: () => Promise<void>;
  beforeEach(() => {
    ({ store, cleanup } = backend.open());
  });
  afterEach(() => cleanup());

  it('puts from a buffer, a string and a stream, and reads back the same bytes', async () => {
    const bytes = randomBytes(100_000);
    expect((await store.put('a/bytes.bin', bytes)).size).toBe(100_000);
    expect((await readArtifact(store, 'a/bytes.bin')).equals(bytes)).toBe(true);
    await store.put('a/text.txt', 'hello');
    expect(await text(store, 'a/text.txt')).toBe('hello');
    await store.put('a/stream.txt', Readable.from(['str', 'eam']));
    expect(await text(store, 'a/stream.txt')).toBe('stream');
  });

  it('uploads a local file larger than one multipart part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-upload-'));
    const file = join(dir, 'big.bin');
    const bytes = randomBytes(9 * 1024 * 1024);
    writeFileSync(file, bytes);
    try {
      const info = await store.putFile('big/big.bin', file);
      expect(info.size).toBe(bytes.length);
      expect(sha256Hex(await readArtifact(store, 'big/big.bin'))).toBe(sha256Hex(bytes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces an artifact written twice', async () => {
    await store.put('x.txt', 'one');
    await store.put('x.txt', 'two');
    expect(await text(store, 'x.txt')).toBe('two');
  });

  it('stats existing artifacts and answers undefined for missing ones', async () => {
    await store.put('dir/f.txt', '12345');
    expect(await store.stat('dir/f.txt')).toMatchObject({ path: 'dir/f.txt', size: 5 });
    expect(await store.stat('dir/missing.txt')).toBeUndefined();
    expect(await store.stat('dir')).toBeUndefined();
  });

  it('refuses to read a missing artifact with NOT_FOUND', async () => {
    await expect(store.get('nope.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists one level with directories, or everything recursively', async () => {
    await store.put('m/model.json', '{}');
    await store.put('m/data/part-0.parquet', 'p0');
    await store.put('m/data/part-1.parquet', 'p1');
    await store.put('other.txt', 'o');
    expect(await store.list('m')).toEqual([
      { path: 'm/data', isDir: true },
      { path: 'm/model.json', isDir: false, size: 2 },
    ]);
    expect((await store.list('m', { recursive: true })).map((e) => e.path)).toEqual([
      'm/data/part-0.parquet',
      'm/data/part-1.parquet',
      'm/model.json',
    ]);
    expect((await store.list('')).map((e) => e.path)).toEqual(['m', 'other.txt']);
    expect(await store.list('nothing-here')).toEqual([]);
  });

  it('deletes a file, a whole directory, and tolerates deleting nothing', async () => {
    await store.put('d/a.txt', 'a');
    await store.put('d/sub/b.txt', 'b');
    await store.put('keep.txt', 'k');
    await store.delete('d/a.txt');
    expect(await store.stat('d/a.txt')).toBeUndefined();
    await store.delete('d');
    expect(await store.list('d', { recursive: true })).toEqual([]);
    await store.delete('d');
    expect(await text(store, 'keep.txt')).toBe('k');
  });

  it('answers a write over a directory or under a file as its backend allows', async () => {
    await store.put('d/inside.txt', 'in');
    await store.put('f.txt', 'file');
    const attempts = [
      () => store.put('d', 'over a directory'),
      () => store.put('f.txt/child', 'under a file'),
    ];
    for (const attempt of attempts) {
      if (backend.name === 'local') {
        // On disk a directory cannot become a file, nor a file hold children.
        await expect(attempt()).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      } else {
        // S3 keys are flat: 'd' and 'd/inside.txt' are independent objects.
        await expect(attempt()).resolves.toBeDefined();
      }
    }
    expect(await text(store, 'd/inside.txt')).toBe('in');
    expect(await text(store, 'f.txt')).toBe('file');
  });

  it('copies within the store', async () => {
    await store.put('src.txt', 'copy me');
    await store.copy('src.txt', 'dst/copied.txt');
    expect(await text(store, 'dst/copied.txt')).toBe('copy me');
    await expect(store.copy('absent.txt', 'x.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each(['../escape.txt', 'a/../../etc/passwd', '/etc/passwd', 'a\0b', 'a\\b', 'a//b', ''])(
    'refuses the path %j with INVALID_ARGUMENT',
    async (path) => {
      await expect(store.put(path, 'x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(store.get(path)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    },
  );

  it('stores content by its sha256 once', async () => {
    const data = Buffer.from('same content');
    const first = await putBytesContentAddressed(store, 'cas', data);
    const second = await putBytesContentAddressed(store, 'cas', data);
    expect(first.sha256).toBe(sha256Hex(data));
    expect(first.written).toBe(true);
    expect(second.written).toBe(false);
    expect(second.path).toBe(first.path);
    expect(first.path).toBe(`cas/sha256/${first.sha256.slice(0, 2)}/${first.sha256}`);
  });

  it('names its artifacts with URIs of its scheme', () => {
    expect(store.uriOf('a/b.txt')).toMatch(
      backend.name === 's3'
        ? /^s3:\/\/gyre-test\/run-[0-9a-f]+\/a\/b\.txt$/
        : /^file:\/\/.*\/a\/b\.txt$/,
    );
  });
});

describe('local writes are all-or-nothing', () => {
  it('leaves no visible artifact when the source stream fails midway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-atomic-'));
    const store = openArtifactStore(dir);
    try {
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error('connection dropped'));
        },
      });
      await expect(store.put('half.bin', failing)).rejects.toThrow('connection dropped');
      expect(await store.stat('half.bin')).toBeUndefined();
      expect(await store.list('', { recursive: true })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openArtifactStore', () => {
  it('names the known schemes when given an unknown one', () => {
    expect(() => openArtifactStore('gs://bucket/x')).toThrow(
      /unsupported artifact root scheme "gs:\/\/": use a directory path or one of file:\/\/, s3:\/\//,
    );
  });
});
