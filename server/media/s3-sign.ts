import { createHash, createHmac } from 'node:crypto';

/** Who signs, and for which region (MinIO's default is `us-east-1`, Garage's `garage`). */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** One S3 call to sign. */
export interface S3Call {
  method: 'HEAD' | 'GET' | 'PUT';
  /** The Host header the call is sent with: `host`, or `host:port` when the port is not the scheme's. */
  host: string;
  /** The path as sent, already encoded (`encodeS3Path`). */
  path: string;
  /** Other headers to send and sign (`content-type`), names in lower case. */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body: the photo's own hash for a PUT, `EMPTY_SHA256` otherwise. */
  payloadHash: string;
}

/** The SHA-256 of no bytes: the payload hash of HEAD and GET. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Encodes an object path the way Signature Version 4 reads it: every byte but `A–Z a–z 0–9 - . _ ~`
 * percent-encoded, each segment on its own, the slashes kept.
 */
export function encodeS3Path(path: string): string {
  return path
    .split('/')
    .map((s) =>
      encodeURIComponent(s).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

/**
 * The headers that authenticate a call with AWS Signature Version 4 (header form, S3 flavour: the payload
 * hash is signed and sent as `x-amz-content-sha256`, so the server checks the body against it). The
 * signature covers the method, the path, the host, the date and every header returned; the Host header
 * itself is left to `fetch`, which sends `call.host` for the same URL.
 *
 * @example
 * const headers = signS3({ method: 'GET', host: url.host, path: url.pathname, payloadHash: EMPTY_SHA256 }, credentials, new Date());
 */
export function signS3(
  call: S3Call,
  credentials: S3Credentials,
  now: Date,
): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, ''); // 20130524T000000Z
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...call.headers,
    host: call.host,
    'x-amz-content-sha256': call.payloadHash,
    'x-amz-date': amzDate,
  };
  const names = Object.keys(headers).sort();
  const signed = names.join(';');
  const canonical = [
    call.method,
    call.path,
    '', // no query string
    ...names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}`),
    '',
    signed,
    call.payloadHash,
  ].join('\n');
  const scope = `${day}/${credentials.region}/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const key = ['s3', 'aws4_request'].reduce(
    (k, part) => hmac(k, part),
    hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region),
  );
  const signature = hmac(key, toSign).toString('hex');
  delete headers.host;
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}
