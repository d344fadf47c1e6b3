// Local-disk behaviour S3 has no counterpart for: symbolic links inside the root, and temp
// files a killed writer leaves behind.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArtifact } from '../read-artifact.js';
import { LocalArtifactStore } from './local-artifact-store.js';

const HOUR = 3_600_000;

describe('symbolic links inside a local artifact root', () => {
  let base: string;
  let root: string;
  let outside: string;
  let store: LocalArtifactStore;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'gyre-symlink-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    mkdirSync(join(root, 'inner'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.txt'), 'outside the root');
    writeFileSync(join(root, 'inner', 'kept.txt'), 'inside');
    // A link to a directory outside the root, one to a file outside, one that stays inside.
    symlinkSync(outside, join(root, 'escape'));
    symlinkSync(join(outside, 'secret.txt'), join(root, 'secret-link.txt'));
    symlinkSync(join(root, 'inner'), join(root, 'alias'));
    store = new LocalArtifactStore(root);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const refused = { code: 'INVALID_ARGUMENT' };

  it('refuses to write through a link that leaves the root, and writes nothing outside', async () => {
    await expect(store.put('escape/planted.txt', 'x')).rejects.toMatchObject(refused);
    await expect(store.put('escape/deeper/planted.txt', 'x')).rejects.toMatchObject(refused);
    await expect(store.put('secret-link.txt', 'x')).rejects.toMatchObject(refused);
    await expect(store.copy('inner/kept.txt', 'escape/copied.txt')).rejects.toMatchObject(refused);
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    expect(existsSync(join(outside, 'deeper'))).toBe(false);
    expect(existsSync(join(outside, 'copied.txt'))).toBe(false);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('refuses to delete through a link that leaves the root', async () => {
    await expect(store.delete('escape/secret.txt')).rejects.toMatchObject(refused);
    await expect(store.delete('escape')).rejects.toMatchObject(refused);
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('refuses to read, stat, copy from or list through a link that leaves the root', async () => {
    await expect(store.get('escape/secret.txt')).rejects.toMatchObject(refused);
    await expect(store.get('secret-link.txt')).rejects.toMatchObject(refused);
    await expect(store.stat('escape/secret.txt')).rejects.toMatchObject(refused);
    await expect(store.copy('secret-link.txt', 'stolen.txt')).rejects.toMatchObject(refused);
    await expect(store.list('escape')).rejects.toMatchObject(refused);
    await expect(store.list('escape', { recursive: true })).rejects.toMatchObject(refused);
  });

  it('never lists links, so a recursive listing of the root stays inside it', async () => {
    expect((await store.list('', { recursive: true })).map((e) => e.path)).toEqual([
      'inner/kept.txt',
    ]);
    expect((await store.list('')).map((e) => e.path)).toEqual(['inner']);
  });

  it('follows a link whose target stays inside the root', async () => {
    expect((await readArtifact(store, 'alias/kept.txt')).toString()).toBe('inside');
    await store.put('alias/new.txt', 'via alias');
    expect(readFileSync(join(root, 'inner', 'new.txt'), 'utf8')).toBe('via alias');
  });

  it('creates nothing outside through a dangling link', async () => {
    symlinkSync(join(outside, 'missing'), join(root, 'dangling'));
    await expect(store.put('dangling/x.txt', 'x')).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    expect(existsSync(join(outside, 'missing'))).toBe(false);
    await store.put('dangling', 'replaces the link, not its target');
    expect(existsSync(join(outside, 'missing'))).toBe(false);
    expect((await readArtifact(store, 'dangling')).toString()).toMatch(/^replaces/);
  });

  it('works when the root itself is reached through a link', async () => {
    const linkedRoot = join(base, 'linked-root');
    symlinkSync(root, linkedRoot);
    const viaLink = new LocalArtifactStore(linkedRoot);
    await viaLink.put('inner/through-root-link.txt', 'ok');
    expect((await readArtifact(viaLink, 'inner/through-root-link.txt')).toString()).toBe('ok');
    await expect(viaLink.put('escape/x.txt', 'x')).rejects.toMatchObject(refused);
  });
});

describe('stale temp files', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gyre-sweep-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A temp file as a killed writer leaves it, last written `ageMs` ago. */
  const leftBehind = (path: string, ageMs: number): string => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'half an upload');
    const when = new Date(Date.now() - ageMs);
    utimesSync(file, when, when);
    return file;
  };

  it('removes temp files older than the threshold anywhere under the root, and nothing else', async () => {
    const store = new LocalArtifactStore(root);
    await store.put('runs/1/model.bin', 'kept');
    const stale = [
      leftBehind('.gyre-tmp-0a1b2c3d4e5f', 2 * HOUR),
      leftBehind('runs/1/.gyre-tmp-aaaaaaaaaaaa', 25 * HOUR),
    ];
    const fresh = leftBehind('runs/1/.gyre-tmp-bbbbbbbbbbbb', 60_000);
    const oldArtifact = leftBehind('runs/1/old.txt', 48 * HOUR);
    expect(await store.sweepStaleTempFiles({ olderThanMs: HOUR })).toEqual({
      removed: 2,
      bytes: 2 * 'half an upload'.length,
    });
    for (const file of stale) expect(existsSync(file)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(oldArtifact)).toBe(true);
    expect((await readArtifact(store, 'runs/1/model.bin')).toString()).toBe('kept');
  });

  it('does not follow links out of the root', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gyre-sweep-outside-'));
    try {
      const victim = join(outside, '.gyre-tmp-cccccccccccc');
      writeFileSync(victim, 'not ours');
      const old = new Date(Date.now() - 48 * HOUR);
      utimesSync(victim, old, old);
      symlinkSync(outside, join(root, 'linked'));
      await new LocalArtifactStore(root).sweepStaleTempFiles({ olderThanMs: HOUR });
      expect(existsSync(victim)).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('sweeps a root that does not exist yet without failing', async () => {
    const store = new LocalArtifactStore(join(root, 'not-yet'));
    expect(await store.sweepStaleTempFiles()).toEqual({ removed: 0, bytes: 0 });
  });
});
