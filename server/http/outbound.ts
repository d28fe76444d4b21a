import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { send } from './outbound-request.ts';
import { specialKind } from './public-address.ts';

/** The setting that names the private hosts the server may call (declared with the others in config.ts). */
export const ALLOW_SETTING = { env: 'GEOREPORT_OUTBOUND_ALLOW', flag: 'outbound-allow' } as const;

const HINT = `the server calls only public addresses, unless the host is named in ${ALLOW_SETTING.env} (--${ALLOW_SETTING.flag})`;

/**
 * Names below domains that are local by definition (RFC 6761 `.localhost`, RFC 6762 `.local`, RFC 8375
 * `.home.arpa`, ICANN's `.internal`), refused without asking a resolver; `localhost` itself is resolved
 * and refused like any name that leads to a loopback address.
 */
const LOCAL_NAME = /\.(?:localhost|localdomain|local|internal|home\.arpa)$/;

/**
 * A call the server will not make: not http(s), or to a host that is not public and not allowed by name.
 * `reason` is what the bus audit shows, without the address (no map of the network for whoever reads it).
 */
export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  constructor(
    message: string,
    readonly reason: 'private address' | 'not http(s)' | 'not resolved',
  ) {
    super(message);
  }
}

/** What the server calls out with. */
export interface Outbound {
  /**
   * `fetch`, to public addresses only (or hosts allowed by name), each name resolved once and the socket
   * connected to the very address checked; a redirect is returned as it came, never followed. Rejects
   * with {@link OutboundRefused} before any connection to a refused target.
   */
  fetch: typeof fetch;
  /**
   * Configuration time: rejects with {@link OutboundRefused} (its message names the setting that would
   * allow it) a URL that is not http(s), an address or a local name that is not public, or a name that
   * does not resolve or resolves to any address that is not public.
   */
  check(url: string): Promise<void>;
}

/** A URL's host as the allow list holds it: lower case, IP addresses canonical (URL does both), no final dot. */
const hostOf = (url: URL) => url.hostname.replace(/\.$/, '');
/** An IPv6 address without the brackets a URL writes it in. */
const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** A host name: labels of letters, digits, `-` and `_`, dot-separated (a final dot allowed). */
const NAME =
  /^[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?(?:\.[\p{L}\p{N}_](?:[\p{L}\p{N}_-]*[\p{L}\p{N}_])?)*\.?$/u;

/**
 * One entry of the allow setting (a host name or an IP address, nothing else: no scheme, port or
 * wildcard) as {@link hostOf} writes it, so that entries and URLs compare exactly; undefined when it is
 * not one.
 */
export function allowedHost(entry: string): string | undefined {
  const text = bare(entry.trim());
  if (isIP(text) === 0 && !NAME.test(text)) return undefined;
  try {
    return hostOf(new URL(`http://${isIP(text) === 6 ? `[${text}]` : text}/`));
  } catch {
    return undefined; // a name URL refuses, such as 300.1.1.1
  }
}

const notPublic = (host: string, what: string) =>
  new OutboundRefused(`${host} ${what}: ${HINT}`, 'private address');

/**
 * The refusal a URL earns before any name is resolved: a scheme other than http(s), an IP address that
 * is not public (URL has already read `2130706433`, `0x7f.1` or `127.1` as `127.0.0.1`), a local name.
 * Null when it may be called (a name still to be checked once resolved). Used at start-up for the
 * geocoder's URL, and by {@link createOutbound}.
 */
export function literalRefusal(url: URL, allow: ReadonlySet<string>): OutboundRefused | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return new OutboundRefused(`${url.protocol} is not http(s)`, 'not http(s)');
  const host = hostOf(url);
  if (allow.has(host)) return null;
  if (isIP(bare(host))) {
    const kind = specialKind(bare(host));
    return kind === null ? null : notPublic(host, `is a ${kind} address`);
  }
  return LOCAL_NAME.test(host) ? notPublic(host, 'is a local name') : null;
}

/** The first resolved address that is not public. */
const firstSpecial = (addresses: LookupAddress[]) =>
  addresses.find((a) => specialKind(a.address) !== null);

/**
 * The server's outbound calls (bus webhooks, alert webhooks, the geocoder): see {@link Outbound}.
 * `allowHosts` names the hosts called even when private (a city's CRM on its own network), compared
 * exactly: `crm.ville.example` allows neither `x.crm.ville.example` nor the address it resolves to.
 *
 * @throws TypeError at once on an entry of `allowHosts` that is not a host name or an IP address.
 * @example
 * const outbound = createOutbound({ allowHosts: config.outboundAllow });
 * await outbound.check(webhookUrl); // configuration time
 * const geocoder = createBanGeocoder({ baseUrl, fetch: outbound.fetch }); // call time
 */
export function createOutbound(options: { allowHosts?: readonly string[] } = {}): Outbound {
  const allow = new Set<string>();
  for (const entry of options.allowHosts ?? []) {
    const host = allowedHost(entry);
    if (host === undefined)
      throw new TypeError(`not a host name or an IP address: ${JSON.stringify(entry)}`);
    allow.add(host);
  }
  // Pools of this instance only: every socket in them was connected through the vetting resolver.
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };

  /** Resolves as the system does, refuses if any address is not public, and hands the socket what it checked. */
  const vetted: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      if (firstSpecial(addresses))
        return callback(notPublic(hostname, 'resolves to an address that is not public'), '', 0);
      if (lookupOptions.all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  const outboundFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const refused = literalRefusal(url, allow);
    if (refused) throw refused;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return send(url, request, body, {
      agent: agents[url.protocol as 'http:' | 'https:'],
      lookup: allow.has(hostOf(url)) ? undefined : vetted,
    });
  };

  return {
    fetch: outboundFetch as typeof fetch,
    async check(raw: string): Promise<void> {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new OutboundRefused(`${JSON.stringify(raw)} is not a URL`, 'not http(s)');
      }
      const refused = literalRefusal(url, allow);
      if (refused) throw refused;
      const host = hostOf(url);
      if (allow.has(host) || isIP(bare(host))) return;
      const addresses = await dns
        .lookup(host, { all: true })
        .catch((err: NodeJS.ErrnoException) => {
          throw new OutboundRefused(
            `${host} does not resolve (${err.code ?? err.message})`,
            'not resolved',
          );
        });
      if (firstSpecial(addresses))
        throw notPublic(host, 'resolves to an address that is not public');
    },
  };
}
