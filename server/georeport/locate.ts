import { GeocoderError, type GeocodeResult, type Geocoder } from '../geocode/index.ts';
import { isNearby } from '../geocode/nearby.ts';
import type { Logger } from '../logger.ts';

export interface Located {
  lat: number | null;
  long: number | null;
  address: string | null;
  addressId: string | null;
  zipcode: string | null;
}

/**
 * An address found near a pin, as stored in the request's `address`: marked "near" in words, since it
 * is where the nearest known door or street is, not where the problem is. Written once in the town's
 * language (agents, the bus and the public all read the same field); any other language reads English.
 */
const NEAR: Record<string, (label: string, numbered: boolean) => string> = {
  fr: (label, numbered) => `${numbered ? 'Près du' : 'Près de'} ${label}`,
  en: (label) => `Near ${label}`,
};

/**
 * Completes a location through the geocoder: a location sent as an address only gets its coordinates
 * (a town-level match is not used: its point is the town centre, misleading on a map); one sent as
 * coordinates only (a pin, a photo's GPS) gets the nearest address, marked "near", when it is close
 * enough to help an agent (see `isNearby`), without an `address_id` (a nearby door is not the place).
 * A geocoder outage never loses the request, nor holds it longer than the geocoder's timeout: it is
 * then stored with what it came with.
 */
export async function locate(
  place: Located,
  geocoder: Geocoder | undefined,
  logger: Logger,
  locale: string,
): Promise<Located> {
  const { lat, long, address, addressId } = place;
  if (!geocoder) return place;
  try {
    if (lat === null && address !== null) {
      const [best] = await geocoder.search(address, { limit: 1 });
      if (!best || best.kind === 'municipality') return place;
      return { ...place, lat: best.lat, long: best.long, addressId: addressId ?? best.addressId, zipcode: best.postcode };
    }
    if (lat !== null && long !== null && address === null && addressId === null) {
      const found = await geocoder.reverse(lat, long);
      if (!found || !isNearby(lat, long, found)) return place;
      return { ...place, address: nearAddress(found, locale), zipcode: found.postcode };
    }
    return place;
  } catch (e) {
    if (!(e instanceof GeocoderError)) throw e;
    // The message names the geocoder's host and what went wrong, never the address or point asked for.
    logger.warn('geocoder unavailable; request kept as sent', { code: e.code, message: e.message });
    return place;
  }
}

function nearAddress(found: GeocodeResult, locale: string): string {
  return (NEAR[locale] ?? NEAR['en']!)(found.label, found.kind === 'housenumber');
}
