import { GeocoderError, type Geocoder } from '../geocode/index.ts';
import type { Logger } from '../logger.ts';

export interface Located {
  lat: number | null;
  long: number | null;
  addressId: string | null;
  zipcode: string | null;
}

/**
 * Completes a location sent as an address only, through the geocoder. A town-level match is not used
 * (its point is the town centre, misleading on a map), and a geocoder outage never loses the request:
 * it is then stored with its address alone.
 */
export async function locate(place: Located & { address: string | null }, geocoder: Geocoder | undefined, logger: Logger): Promise<Located> {
  const { lat, long, addressId, zipcode, address } = place;
  if (lat !== null || address === null || !geocoder) return { lat, long, addressId, zipcode };
  try {
    const [best] = await geocoder.search(address, { limit: 1 });
    if (!best || best.kind === 'municipality') return { lat, long, addressId, zipcode };
    return { lat: best.lat, long: best.long, addressId: addressId ?? best.addressId, zipcode: best.postcode };
  } catch (e) {
    if (!(e instanceof GeocoderError)) throw e;
    // The message names the geocoder's host and what went wrong, never the address asked for.
    logger.warn('geocoder unavailable; request kept without coordinates', { code: e.code, message: e.message });
    return { lat, long, addressId, zipcode };
  }
}
