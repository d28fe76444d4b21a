/**
 * The geocoder seam: what the request routes need from any address service (search an address,
 * name a point), independent of the provider behind it. Adapters live next to this file (`ban.ts`).
 */

/** How precise a result is: a numbered door, a whole street, a named place, or a town's centre. */
export type GeocodeKind = 'housenumber' | 'street' | 'locality' | 'municipality';

/** One place found by a geocoder, already checked (coordinates in range, strings bounded). */
export interface GeocodeResult {
  /** WGS 84 latitude, in [-90, 90]. */
  lat: number;
  /** WGS 84 longitude, in [-180, 180]. */
  long: number;
  /** The full address as the provider writes it (`12 Rue Nationale 37000 Montclair-sur-Loire`). */
  label: string;
  postcode: string | null;
  city: string | null;
  /** The provider's stable id for the address (a BAN id such as `37999_0420_00012`). */
  addressId: string | null;
  /** Match confidence from 0 to 1 (for a reverse lookup, the provider's own closeness score). */
  score: number;
  /**
   * The precision of the result, when the provider says it; a caller may refuse to pin a pothole on
   * a municipality's centre.
   */
  kind: GeocodeKind | null;
}

/** Options of {@link Geocoder.search}. */
export interface GeocodeSearchOptions {
  /** Favour results close to this point (the jurisdiction's centre, the map's centre). */
  near?: { lat: number; long: number };
  /** At most this many results (default 5; clamped to 1–100). */
  limit?: number;
}

/**
 * Turns addresses into points and points into addresses.
 *
 * Implementations reject with a {@link GeocoderError} when the provider cannot answer (unreachable,
 * timed out, an HTTP error, an unreadable body), so that a caller can degrade gracefully: keep the
 * address text and store the request without coordinates. Results the provider got wrong (bad
 * coordinates, missing fields) are skipped, not reported as failures.
 */
export interface Geocoder {
  /** The places matching `query`, best first; an empty list when nothing matches well enough. */
  search(query: string, options?: GeocodeSearchOptions): Promise<GeocodeResult[]>;
  /**
   * The address nearest to a point (a town's own record, its centre, is not one), or undefined when the
   * provider knows none there.
   */
  reverse(lat: number, long: number): Promise<GeocodeResult | undefined>;
}

/** Why a geocoder could not answer: stable codes a caller can log and count. */
export type GeocoderErrorCode =
  'geocoder.unreachable' | 'geocoder.timeout' | 'geocoder.http_status' | 'geocoder.bad_response';

/**
 * The provider could not be asked or did not answer usefully. Never caused by the caller's input: a
 * caller treats it as "no coordinates for now", not as a client error.
 */
export class GeocoderError extends Error {
  override readonly name = 'GeocoderError';
  readonly code: GeocoderErrorCode;
  /** The upstream HTTP status, for `geocoder.http_status`. */
  readonly status: number | undefined;

  constructor(
    code: GeocoderErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
