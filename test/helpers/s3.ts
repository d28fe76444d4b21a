import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver (CommonJS, untyped) these tests use. */
interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(
    event: 'event',
    listener: (e: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => void,
  ): void;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rver;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface S3Server {
  /** The server's URL, as `GEOREPORT_MEDIA_S3_ENDPOINT` takes it. */
  endpoint: string;
  bucket: string;
  region: string;
  /**
   * s3rver's one pair of credentials. It refuses another access key id (403 `InvalidAccessKeyId`) and a
   * malformed Authorization header, but does not compute Signature Version 4 itself (its source says
   * "unimplemented"): the signer is checked against AWS's published examples instead.
   */
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys of the objects written so far, one entry per write (`ObjectCreated` events), in order. */
  writes: string[];
  /** The settings that send a georeport's photos to this bucket. */
  config: {
    mediaS3Endpoint: string;
    mediaS3Bucket: string;
    mediaS3Region: string;
    mediaS3AccessKeyId: string;
    mediaS3SecretAccessKey: string;
  };
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server on loopback: s3rver speaks the S3 REST API over HTTP (path-style URLs,
 * Signature Version 4 headers parsed and the access key checked, XML errors) and keeps objects in a
 * temporary folder; one bucket, created empty.
 */
export async function startS3(bucket = 'photos'): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'georeport-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  const writes: string[] = [];
  server.on('event', (e) => {
    for (const r of e.Records)
      if (r.eventName.startsWith('ObjectCreated')) writes.push(r.s3.object.key);
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}/`;
  const credentials = { region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    endpoint,
    bucket,
    ...credentials,
    writes,
    config: {
      mediaS3Endpoint: endpoint,
      mediaS3Bucket: bucket,
      mediaS3Region: credentials.region,
      mediaS3AccessKeyId: credentials.accessKeyId,
      mediaS3SecretAccessKey: credentials.secretAccessKey,
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
