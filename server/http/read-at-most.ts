/**
 * An upstream answer's body (a geocoder's, an object storage's), never read past `max` bytes: a declared
 * length above it is refused before reading, and a longer stream is cancelled as soon as it passes it.
 * Upstream servers are not trusted to be small. `undefined` when the body is longer than `max`.
 */
export async function readAtMost(res: Response, max: number): Promise<Buffer | undefined> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
