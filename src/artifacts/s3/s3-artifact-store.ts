import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Upload } from '@aws-sdk/lib-storage';
import { maskUrlPassword, NotFoundError, UnavailableError } from '../../core/index.js';
import type {
  ArtifactBody,
  ArtifactEntry,
  ArtifactInfo,
  ArtifactStore,
} from '../artifact-store.js';
import { validateArtifactPath } from '../artifact-path.js';

export interface S3Options {
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}

/** The SDK's commands and a client, loaded on first use (see S3ArtifactStore). */
interface S3Connection {
  sdk: typeof S3Sdk;
  Upload: typeof Upload;
  client: S3Client;
}

async function connect(options: S3Options): Promise<S3Connection> {
  const [sdk, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const client = new sdk.S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  });
  return { sdk, Upload, client };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

function isUnreachable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'ECONNRESET'
  );
}

/**
 * Artifacts in an S3 bucket under a prefix. Uploads go through lib-storage's multipart
 * Upload: S3 makes the object visible only when the upload completes, so a crash mid-write
 * leaves nothing behind but an incomplete upload the bucket's lifecycle rule reaps. The AWS
 * SDK loads on first use, so processes that never touch S3 do not pay its start-up time.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly rootUri: string;
  private connection: Promise<S3Connection> | undefined;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly options: S3Options;

  constructor(uri: string, options: S3Options) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
    if (!match)
      throw new UnavailableError(
        `invalid S3 URI ${maskUrlPassword(uri)}: expected s3://bucket/prefix`,
      );
    this.bucket = match[1];
    this.prefix = match[2].replace(/\/+$/, '');
    this.rootUri = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    this.options = options;
  }

  uriOf(path: string): string {
    const valid = validateArtifactPath(path, { allowRoot: true });
    return valid === '' ? this.rootUri : `${this.rootUri}/${valid}`;
  }

  private key(validPath: string): string {
    return this.prefix ? (validPath ? `${this.prefix}/${validPath}` : this.prefix) : validPath;
  }

  private relative(key: string): string {
    return this.prefix ? key.slice(this.prefix.length + 1) : key;
  }

  private async call<T>(what: string, run: (s3: S3Connection) => Promise<T>): Promise<T> {
    try {
      this.connection ??= connect(this.options);
      return await run(await this.connection);
    } catch (error) {
      if (isUnreachable(error)) {
        throw new UnavailableError(
          `S3 is unreachable during ${what}: ${(error as Error).message}`,
          { bucket: this.bucket },
          { cause: error },
        );
      }
      throw error;
    }
  }

  async put(path: string, body: ArtifactBody): Promise<ArtifactInfo> {
    const valid = validateArtifactPath(path);
    await this.call(`upload of ${valid}`, ({ Upload, client }) =>
      new Upload({
        client,
        params: {
          Bucket: this.bucket,
          Key: this.key(valid),
          Body: typeof body === 'string' ? Buffer.from(body) : body,
        },
        queueSize: 4,
        partSize: 8 * 1024 * 1024,
      }).done(),
    );
    const info = await this.stat(valid);
    if (!info)
      throw new UnavailableError(`S3 upload of ${valid} completed but the object is not visible`);
    return info;
  }

  putFile(path: string, localFile: string): Promise<ArtifactInfo> {
    return this.put(path, createReadStream(localFile));
  }

  async get(path: string): Promise<Readable> {
    const valid = validateArtifactPath(path);
    try {
      const out = await this.call(`download of ${valid}`, ({ sdk, client }) =>
        client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(valid) })),
      );
      return out.Body as Readable;
    } catch (error) {
      if (isNotFound(error))
        throw new NotFoundError(`artifact ${valid} does not exist`, { path: valid });
      throw error;
    }
  }

  async stat(path: string): Promise<ArtifactInfo | undefined> {
    const valid = validateArtifactPath(path);
    try {
      const head = await this.call(`stat of ${valid}`, ({ sdk, client }) =>
        client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.key(valid) })),
      );
      return { path: valid, size: head.ContentLength ?? 0, lastModified: head.LastModified };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string, options: { recursive?: boolean } = {}): Promise<ArtifactEntry[]> {
    const base = validateArtifactPath(prefix, { allowRoot: true });
    const keyPrefix = this.key(base) ? `${this.key(base)}/` : '';
    const entries: ArtifactEntry[] = [];
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.call(
        `listing of ${base || '/'}`,
        ({ sdk, client }) =>
          client.send(
            new sdk.ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: keyPrefix,
              Delimiter: options.recursive ? undefined : '/',
              ContinuationToken: token,
            }),
          ),
      );
      for (const p of page.CommonPrefixes ?? []) {
        if (p.Prefix)
          entries.push({ path: this.relative(p.Prefix.replace(/\/$/, '')), isDir: true });
      }
      for (const o of page.Contents ?? []) {
        if (o.Key && !o.Key.endsWith('/'))
          entries.push({ path: this.relative(o.Key), isDir: false, size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(path: string): Promise<void> {
    const valid = validateArtifactPath(path);
    const keys = [
      this.key(valid),
      ...(await this.list(valid, { recursive: true })).map((e) => this.key(e.path)),
    ];
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await this.call(`delete of ${valid}`, ({ sdk, client }) =>
        client.send(
          new sdk.DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch, Quiet: true },
          }),
        ),
      );
    }
  }

  async copy(fromPath: string, toPath: string): Promise<ArtifactInfo> {
    const from = validateArtifactPath(fromPath);
    const to = validateArtifactPath(toPath);
    if (!(await this.stat(from)))
      throw new NotFoundError(`artifact ${from} does not exist`, { path: from });
    const source = `${this.bucket}/${this.key(from).split('/').map(encodeURIComponent).join('/')}`;
    await this.call(`copy of ${from}`, ({ sdk, client }) =>
      client.send(
        new sdk.CopyObjectCommand({ Bucket: this.bucket, Key: this.key(to), CopySource: source }),
      ),
    );
    return (await this.stat(to)) as ArtifactInfo;
  }
}
