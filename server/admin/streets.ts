/**
 * The street part of an address, to count requests by street: "12 rue Nationale", "Près du 12 Rue
 * Nationale" (the server's words for the address nearest a pin, see server/georeport/locate.ts),
 * "Rue Nationale, devant la boulangerie" and "12 Rue Nationale 37000 Montclair" (a BAN label) are all "Rue Nationale".
 * Dropped, in order: the "near" words, whatever follows the first comma (residents' details, which may
 * name someone), a postcode and the town after it, "n° 14", and the house number first ("12", "12 bis",
 * "12-14", "12B"). What is left must hold a letter.
 */
const NEAR = /^(?:près\s+d[eu]|near)\s+/iu;
const POSTCODE = /\s+\d{5}\s+\p{L}.*$/u;
const NUMBERED = /\s+n[°o]\s*\d.*$/iu;
const HOUSE_NUMBER = /^\d+(?:\s*[-/]\s*\d+)?(?:\s*(?:bis|ter|quater|[a-d])\b)?[\s,]*/iu;

export function streetOf(address: string | null): string | null {
  if (address === null) return null;
  const street = address.normalize('NFC').replace(/\s+/g, ' ').trim()
    .replace(NEAR, '').split(',')[0]!.replace(POSTCODE, '').replace(NUMBERED, '').replace(HOUSE_NUMBER, '').trim();
  return /\p{L}/u.test(street) ? street : null;
}

/** Spellings of one street meet here: case, accents, apostrophes and hyphens aside ("rue Jean Jaures"). */
export const streetKey = (street: string): string =>
  street.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’'‐-]/g, ' ').replace(/\s+/g, ' ').trim();

/** Capital letters in a spelling: between two spellings as frequent, "Place Plumereau" reads better than "place plumereau". */
const capitals = (text: string) => text.replace(/[^\p{Lu}]/gu, '').length;

/** How a street is shown: as most requests spelled it, its first letter a capital. */
export function streetName(spellings: Map<string, number>): string {
  const [best] = [...spellings].sort((a, b) => b[1] - a[1] || capitals(b[0]) - capitals(a[0]) || a[0].localeCompare(b[0]));
  return best![0].charAt(0).toLocaleUpperCase('fr') + best![0].slice(1);
}
