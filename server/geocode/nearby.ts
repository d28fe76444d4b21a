/**
 * When an address found for a pin may name it: one rule for the server (filling the address of a
 * filing that came with coordinates only) and the widget (saying where the resident's pin is), so both
 * say "near 12 Rue Nationale" of the same pins. Pure, with no Node or DOM import: the widget bundles it.
 */
import { distanceMetres } from '../requests/requests.query.ts';

/**
 * Farther than this, "near" would mislead: an agent walks 200 m along a street in about three minutes,
 * and reverse geocoders answer with the nearest address however far (a field, a river bank).
 */
export const NEARBY_METRES = 200;

/** Places asked of a reverse lookup: the nearest that is not a town's own record is one of the first few. */
export const REVERSE_LIMIT = 5;

/** What a reverse lookup answered, as far as the rule needs. */
export interface FoundPlace {
  lat: number;
  long: number;
  /** `municipality` is a town's centre point: it names no place an agent can find. */
  kind?: string | null;
}

/** Whether `found` may be given as the place near the pin at (`lat`, `long`). */
export function isNearby(lat: number, long: number, found: FoundPlace): boolean {
  return found.kind !== 'municipality' && distanceMetres(lat, long, found.lat, found.long) <= NEARBY_METRES;
}
