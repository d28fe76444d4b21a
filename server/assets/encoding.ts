/** The content codings the build writes beside each file (`.br`, `.gz`), smallest first. */
export const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];

/**
 * The coding to send, among those `available`, for an `Accept-Encoding` header; null for the file as
 * it is. A coding is acceptable with a q-value above 0, its own or that of `*`; the highest q wins,
 * brotli on a tie (a browser sends `gzip, deflate, br, zstd`, all at q=1, and brotli is the smaller).
 */
export function chooseCoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | null {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name = '', ...params] = item.split(';').map((s) => s.trim().toLowerCase());
    const weight = params.find((p) => p.startsWith('q='));
    const value = weight === undefined ? 1 : Number(weight.slice(2));
    if (name) q.set(name, Number.isFinite(value) ? value : 0);
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of CODINGS) {
    const weight = q.get(coding) ?? q.get('*') ?? 0;
    if (available.includes(coding) && weight > bestQ) [best, bestQ] = [coding, weight];
  }
  return best;
}

/**
 * Whether an `If-None-Match` header names `etag` or is `*` (RFC 9110 §13.1.2: for GET, tags compare
 * weakly, a `W/` prefix ignored on either side).
 */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === opaque;
  });
}
