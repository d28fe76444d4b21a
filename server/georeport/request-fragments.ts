import type { PublicRequest } from '../requests/requests.types.ts';

/** Characters of serialised requests a process keeps, all towns and variants together (≈ 2 bytes each). */
const MAX_CHARS = 8_000_000;

type Town = { stamp: string; texts: Map<string, string>; chars: number };

export type RequestFragments = ReturnType<typeof createRequestFragments>;

/**
 * The serialised text of each public request (its JSON object or its XML `<request>` element), per
 * variant (format, extensions, locale), kept while its town's data versions (`stamp`) hold: a list
 * assembles the text of the requests it shares with the pages and queries answered before it, and
 * serialises (and, with extensions, reads the photos and history of) the others only.
 *
 * A town's texts are dropped at once when its versions move; all are dropped past MAX_CHARS. Texts are
 * kept under the stamp read before their rows, so they may be newer than their stamp, never older.
 */
export function createRequestFragments() {
  const towns = new Map<string, Town>();
  let chars = 0;

  const forget = (town: string) => {
    chars -= towns.get(town)?.chars ?? 0;
    towns.delete(town);
  };

  function keep(town: string, stamp: string, key: string, text: string): void {
    let held = towns.get(town);
    if (held && held.stamp !== stamp) return; // the town moved on while these were made
    if (chars + text.length > MAX_CHARS) {
      towns.clear();
      chars = 0;
      held = undefined;
    }
    if (!held) towns.set(town, (held = { stamp, texts: new Map(), chars: 0 }));
    if (held.texts.has(key)) return;
    held.texts.set(key, text);
    held.chars += text.length;
    chars += text.length;
  }

  return {
    /** The texts of `found` in order: those held for `variant` under `stamp`, the others made by `make` (given only those) and kept. */
    async texts(town: string, stamp: string, variant: string, found: PublicRequest[], make: (missing: PublicRequest[]) => Promise<string[]>) {
      if (towns.get(town)?.stamp !== stamp) forget(town);
      const held = towns.get(town)?.texts;
      const out = found.map((r) => held?.get(`${variant} ${r.id}`));
      const missing = found.filter((_, i) => out[i] === undefined);
      if (missing.length === 0) return out as string[];
      const made = await make(missing);
      let next = 0;
      return out.map((text, i) => {
        if (text !== undefined) return text;
        const fresh = made[next++]!;
        keep(town, stamp, `${variant} ${found[i]!.id}`, fresh);
        return fresh;
      });
    },
  };
}
