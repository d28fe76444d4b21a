import { createOutbound } from '../../server/http/outbound.ts';

/**
 * The server's outbound fetch with the loopback names allowed, as a city allows its CRM's host: the
 * tests' receivers and stand-ins live on loopback, which the server otherwise refuses to call.
 */
export const loopbackFetch = createOutbound({
  allowHosts: ['127.0.0.1', '::1', 'localhost'],
}).fetch;
