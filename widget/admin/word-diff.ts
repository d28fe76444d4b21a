/** A run of text in a before/after comparison: kept in both, or only in one. */
export interface DiffPart {
  text: string;
  /** `same` in both texts; `gone` only in the text before; `new` only in the text after. */
  kind: 'same' | 'gone' | 'new';
}

/** Past this many words on a side, the texts are compared whole (the table would grow as their product). */
const MAX_WORDS = 2000;

/** Words with the spaces after them, so that joining the parts gives the text back exactly. */
const words = (text: string) => text.match(/\S+\s*|\s+/g) ?? [];

/**
 * What an edit changed, word by word: the parts of `before` and `after` in reading order, each marked
 * kept, taken out or put in (the longest common subsequence of their words). Each side reads back as its
 * text (but for the spacing of kept words, taken from `after`): `before` is the `same` and `gone` parts
 * joined, `after` the `same` and `new` ones.
 *
 * @example
 * wordDiff('Trou, appelez le 06 12', 'Trou') // [{ text: 'Trou', kind: 'same' }, { text: ', appelez le 06 12', kind: 'gone' }]
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = words(before);
  const b = words(after);
  if (a.length > MAX_WORDS || b.length > MAX_WORDS) return merge([{ text: before, kind: 'gone' }, { text: after, kind: 'new' }]);
  // Compared without the trailing space, so that "trou " and "trou" are the same word.
  const key = (w: string) => w.trimEnd();
  const width = b.length + 1;
  const common = new Uint16Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = key(a[i]!) === key(b[j]!) ? common[(i + 1) * width + j + 1]! + 1 : Math.max(common[(i + 1) * width + j]!, common[i * width + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && key(a[i]!) === key(b[j]!)) {
      parts.push({ text: b[j]!, kind: 'same' });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || common[i * width + j + 1]! >= common[(i + 1) * width + j]!)) parts.push({ text: b[j++]!, kind: 'new' });
    else parts.push({ text: a[i++]!, kind: 'gone' });
  }
  return merge(parts);
}

/** Neighbouring parts of one kind as one (a phrase taken out reads as one phrase). */
function merge(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  for (const p of parts) {
    const last = merged.at(-1);
    if (p.text === '') continue;
    if (last?.kind === p.kind) last.text += p.text;
    else merged.push({ ...p });
  }
  return merged;
}
