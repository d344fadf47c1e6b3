// Local-disk behaviour S3 has no counterpart for: symbolic links inside the root.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readArtifact } from '../read-artifact.js';
import { LocalArtifactStore } from './local-artifact-store.js';

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
