import { createHash } from 'node:crypto';
import { readAtMost } from '../http/read-at-most.ts';
import type { Logger } from '../logger.ts';
import {
  MediaStorageUnavailable,
  mediaPathOf,
  parseMediaPath,
  type MediaStorage,
} from './media.storage.ts';
import { EMPTY_SHA256, encodeS3Path, signS3, type S3Credentials } from './s3-sign.ts';

export interface S3StorageOptions extends S3Credentials {
  /** The server's http(s) URL (`https://s3.fr-par.scw.cloud/`, `http://minio.local:9000/`). */
  endpoint: string;
  bucket: string;
  /** The largest photo kept or read back, in bytes: a longer answer is cut off, never buffered whole. */
  maxBytes: number;
  logger: Logger;
  /** How long one call may take, body included. */
  timeoutMs?: number;
}

// A photo of a few megabytes, over a city's link to its object storage; a call past this is given up and
// the resident told to try again, rather than holding a worker and the photo's bytes.
const DEFAULT_TIMEOUT_MS = 15_000;
// An S3 error answer is a short XML document (what matters in it is its <Code>); a longer one is not read.
const ERROR_BODY_BYTES = 4096;

/**
 * Photos in an S3-compatible bucket (AWS S3, MinIO, Garage, Scaleway, OVH…), so that every node behind
 * a load balancer reads what any of them stored. The object key is the photo's content-addressed path
 * (`ab/ab….jpg`, checked before any call), so the same photo is stored once (a HEAD first) and an object
 * never changes. Calls are path-style (`endpoint/bucket/key`, which S3-compatible servers all answer),
 * signed with Signature Version 4 over the photo's SHA-256, never follow redirects, and time out.
 *
 * A failed or refused call is logged (operation, key, HTTP status and S3 error code: never the secret
 * or the signature) and thrown as `MediaStorageUnavailable`.
 *
 * @example
 * const storage = createS3Storage({ endpoint: 'http://127.0.0.1:9000/', bucket: 'photos', region: 'us-east-1',
 *   accessKeyId, secretAccessKey, maxBytes: 32 << 20, logger });
 */
export function createS3Storage(options: S3StorageOptions): MediaStorage {
  const { logger, maxBytes, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const endpoint = new URL(options.endpoint);
  const bucketPath = `${endpoint.pathname.replace(/\/$/, '')}/${encodeS3Path(options.bucket)}/`;

  const fail = (operation: string, key: string, problem: Record<string, unknown>) => {
    logger.error('photo storage (S3) failed', {
      operation,
      bucket: options.bucket,
      key,
      ...problem,
    });
    return new MediaStorageUnavailable(`the photo storage failed to ${operation} a photo`);
  };

  /** An S3 error answer, logged with its status and `<Code>`. */
  const refused = async (operation: string, key: string, res: Response) => {
    const body =
      (await readAtMost(res, ERROR_BODY_BYTES).catch(() => undefined))?.toString('utf8') ?? '';
    const code = /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body)?.[1];
    return fail(operation, key, { status: res.status, ...(code ? { code } : {}) });
  };

  const call = async (
    method: 'HEAD' | 'GET' | 'PUT',
    key: string,
    body?: { data: Buffer; type: string; sha256: string },
  ) => {
    const path = bucketPath + encodeS3Path(key);
    const headers = signS3(
      {
        method,
        host: endpoint.host,
        path,
        headers: body ? { 'content-type': body.type } : {},
        payloadHash: body?.sha256 ?? EMPTY_SHA256,
      },
      options,
      new Date(),
    );
    try {
      return await fetch(new URL(path, endpoint), {
        method,
        headers,
        body: body ? new Uint8Array(body.data) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw fail(method, key, { problem: failure(err, timeoutMs) });
    }
  };

  return {
    async save(photo) {
      const path = mediaPathOf(photo);
      if (photo.data.length > maxBytes)
        throw new Error(
          `a photo of ${photo.data.length} bytes is larger than the storage's ${maxBytes}`,
        );
      const head = await call('HEAD', path);
      await head.body?.cancel();
      if (head.ok) return { path }; // same bytes already stored
      // 403 is what S3 answers for a missing object to a key without s3:ListBucket: the PUT decides.
      if (head.status !== 404 && head.status !== 403)
        throw fail('HEAD', path, { status: head.status });
      const put = await call('PUT', path, {
        data: photo.data,
        type: photo.mime,
        sha256: photo.sha256,
      });
      if (!put.ok) throw await refused('PUT', path, put);
      await put.body?.cancel();
      return { path };
    },

    async read(path) {
      const named = parseMediaPath(path);
      if (!named) return undefined;
      const res = await call('GET', path);
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) throw await refused('GET', path, res);
      let data: Buffer | undefined;
      try {
        data = await readAtMost(res, maxBytes);
      } catch (err) {
        throw fail('GET', path, { problem: failure(err, timeoutMs) });
      }
      if (!data) throw fail('GET', path, { problem: `larger than ${maxBytes} bytes` });
      // The path promises these bytes (and is cached forever on it): never serve others under it.
      if (createHash('sha256').update(data).digest('hex') !== named.sha256) {
        throw fail('GET', path, { problem: 'the object does not match its SHA-256' });
      }
      return { data, ...named };
    },
  };
}

/** Why a call got no answer, in words fit for the log (fetch's own message is just "fetch failed"). */
function failure(err: unknown, timeoutMs: number): string {
  if ((err as { name?: unknown } | null)?.name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  const cause =
    err instanceof Error
      ? (err.cause as { code?: string; message?: string } | undefined)
      : undefined;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
