import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeVersionOf } from './code-version.js';

describe('code version of a pipeline directory', () => {
  it('is the last commit, plus a digest of uncommitted edits and new files', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'gyre-code-version-'));
    const dir = join(repo, 'pipeline');
    mkdirSync(dir);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    writeFileSync(join(dir, 'train.py'), 'print(1)\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    const commit = git('rev-parse', 'HEAD');
    expect(await codeVersionOf(dir)).toBe(commit);
    writeFileSync(join(dir, 'train.py'), 'print(2)\n');
    const edited = await codeVersionOf(dir);
    expect(edited).toMatch(new RegExp(`^${commit}\\+[0-9a-f]{16}$`));
    writeFileSync(join(dir, 'helper.py'), 'x = 1\n');
    const added = await codeVersionOf(dir);
    expect(added).not.toBe(edited);
    expect(await codeVersionOf(tmpdir())).toBeUndefined();
  });
});
