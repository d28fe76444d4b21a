import { OutboundRefused } from '../http/outbound.ts';

/** How one call to an app's receiver went, as the bus audit records it. */
export interface CallOutcome {
  /** The HTTP status; 0 when there was no answer. */
  status: number;
  /** A 2xx came back. */
  ok: boolean;
  /** Why it failed, in a few words (null when it did not). */
  detail: string | null;
  /** How long the answer took; 0 without an answer (a refused or unreachable target has no timing to tell). */
  durationMs: number;
}

/** What a failed call becomes in the audit: enough to fix a delivery, not a map of the network. */
function failure(err: unknown, timeoutMs: number): string {
  if (err instanceof OutboundRefused) return `refused: ${err.reason}`;
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  if (name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  if (name === 'AbortError') return 'the server stopped before an answer';
  // A system or TLS code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED) says what to fix; its message may name addresses.
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)
    ? `unreachable (${code})`
    : 'unreachable';
}

/**
 * POSTs a JSON `body` to one of an app's receivers (its webhook, its alert webhook) through the
 * outbound fetch, giving up after `timeoutMs` or when `stop` aborts; never throws. A 3xx is a failure:
 * the outbound fetch never follows it, so the signed body, contact data included, goes nowhere else.
 */
export async function callReceiver(
  fetch: typeof globalThis.fetch,
  url: string,
  call: { body: string; headers: Record<string, string>; timeoutMs: number; stop?: AbortSignal },
): Promise<CallOutcome> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(call.timeoutMs);
  try {
    const res = await fetch(url, {
      method: 'POST',
      body: call.body,
      headers: { 'Content-Type': 'application/json', ...call.headers },
      signal: call.stop ? AbortSignal.any([timeout, call.stop]) : timeout,
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
    return {
      status: res.status,
      ok,
      detail: ok ? null : `answered ${res.status}${redirect}`,
      durationMs: performance.now() - started,
    };
  } catch (err) {
    return { status: 0, ok: false, detail: failure(err, call.timeoutMs), durationMs: 0 };
  }
}
