import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermissionDeniedError } from '../../core/index.js';

/** The landing zones' URIs, looked up when a remote source is checked. */
export type ZoneUris = () => Promise<string[]>;

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/**
 * What a remote (HTTP) caller may ingest: s3:// objects and Gyre's own `artifacts:` paths
 * (their stores confine them), and server files only under a landing zone's directory or a
 * configured `data.allowedSourceRoots` entry. The CLI, running as the user on the machine,
 * reads any local file and never asks.
 */
export class SourceGuard {
  constructor(
    private readonly allowedRoots: readonly string[],
    private readonly zoneUris: ZoneUris,
  ) {}

  /**
   * The source to read, when allowed: for a server file its real path (so a link swapped in
   * later cannot redirect the read). The refusal says the same whether the file exists or
   * not, so it tells a caller nothing about the server's files.
   */
  check(source: string): Promise<string> {
    return this.confine(source, () => this.roots());
  }

  /**
   * A landing zone a remote admin creates: an s3:// prefix, or a directory under an allowed
   * root (zones themselves widen what may be read, so they cannot vouch for each other).
   */
  checkZoneRoot(uri: string): Promise<string> {
    return this.confine(uri, async () => [...this.allowedRoots]);
  }

  private async confine(source: string, rootsOf: () => Promise<string[]>): Promise<string> {
    if (/^(s3:\/\/|artifacts:)/.test(source)) return source;
    const refuse = () =>
      new PermissionDeniedError(
        `source ${source} is not under an allowed source root: upload the file (PUT /api/v1/datasets/{name}/versions/upload), use s3:// or artifacts:, or ask an admin to add its directory to data.allowedSourceRoots`,
        { field: 'source' },
      );
    // Other schemes are refused by ingest itself with the list of supported ones.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && !source.startsWith('file://')) return source;
    const given = source.startsWith('file://') ? fileURLToPath(source) : source;
    // A relative path would resolve against wherever the server happens to run.
    if (!isAbsolute(given)) throw refuse();
    const path = resolve(given);
    const roots = await rootsOf();
    if (!roots.some((root) => within(root, path))) throw refuse();
    const real = await realpath(path).catch(() => path);
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
    if (!realRoots.some((root) => within(root, real))) throw refuse();
    return real;
  }

  private async roots(): Promise<string[]> {
    const zones = (await this.zoneUris())
      .filter((uri) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) || uri.startsWith('file://'))
      .map((uri) => (uri.startsWith('file://') ? fileURLToPath(uri) : resolve(uri)));
    return [...this.allowedRoots, ...zones];
  }
}
