import { svg, type SVGTemplateResult } from 'lit';

/**
 * An icon per group of categories, drawn inline (no icon font, no request, nothing for a strict page policy to
 * block), in the text colour. Open311 gives a group only its name, so the icon is found from words a
 * municipal catalogue uses for it, in French and English, the most specific first; a group matching none
 * gets a map pin.
 */
const ICONS: [kind: string, words: RegExp, shape: SVGTemplateResult][] = [
  // Cleanliness and waste: a bin.
  ['waste', /propret|d[ée]chet|ordure|encombrant|poubelle|\btags?\b|\b(?:clean|waste|litter|rubbish|trash|bins?)/, svg`<path d="M4 6h16M9 6V4h6v2M6 6l1 15h10l1-15M10 10v7m4-7v7"/>`],
  // Lighting: a bulb.
  ['light', /[ée]clairage|lumi[èe]re|lampadaire|\blight/, svg`<path d="M9 18h6m-5 3h4M12 3a6 6 0 0 0-4 10.5c.8.8 1 1.5 1 2.5h6c0-1 .2-1.7 1-2.5A6 6 0 0 0 12 3Z"/>`],
  // Parks, trees and green spaces: a tree.
  ['tree', /espaces? verts?|parc|jardin|arbre|v[ée]g[ée]ta|\b(?:parks?|gardens?|trees?|green)\b/, svg`<path d="M12 21v-6m0 0-3-3m3 3 3-3M12 3a5 5 0 0 0-5 5 4 4 0 0 0 1 7h8a4 4 0 0 0 1-7 5 5 0 0 0-5-5Z"/>`],
  // Street furniture and facilities: a bench.
  ['bench', /mobilier|banc|abri|[ée]quipement|aire de jeux|\b(?:furniture|bench|shelter|playground)/, svg`<path d="M4 10h16M4 14h16M6 14v5m12-5v5M6 10V7m12 3V7"/>`],
  // Water and drains: a drop.
  ['water', /\beau\b|fuite|avaloir|[ée]gout|assainissement|\b(?:water|leak|drain|sewer|flood)/, svg`<path d="M12 3s6 6.5 6 11a6 6 0 0 1-12 0c0-4.5 6-11 6-11Z"/>`],
  // Ideas, suggestions, thanks: a speech bubble.
  ['idea', /id[ée]e|suggestion|remerciement|compliment|avis|\b(?:idea|thank|feedback)/, svg`<path d="M4 5h16v11H9l-5 4V5Z"/>`],
  // Noise and nuisance: a loudspeaker.
  ['noise', /bruit|nuisance|\bnoise/, svg`<path d="M4 10v4h4l5 4V6L8 10H4Zm13-1a4 4 0 0 1 0 6"/>`],
  // Animals: a paw.
  ['animal', /animal|animaux|chien|nuisible|pigeon|\b(?:rats?|dogs?|pests?)\b/, svg`<circle cx="8" cy="8" r="1.6"/><circle cx="16" cy="8" r="1.6"/><circle cx="5" cy="13" r="1.6"/><circle cx="19" cy="13" r="1.6"/><path d="M12 12c-3 0-5 4-5 6s2 2 5 1c3 1 5 1 5-1s-2-6-5-6Z"/>`],
  // Roads, pavements, signs (last: "street lighting" is lighting): a road between its verges.
  ['road', /voirie|chauss|route|rue|trottoir|circulation|signal|stationnement|\b(?:road|street|pavement|sidewalk|traffic|parking)/, svg`<path d="M8 3 5 21M16 3l3 18M12 4v3m0 4v3m0 4v3"/>`],
];
const PIN = svg`<path d="M12 21s7-6.3 7-12a7 7 0 0 0-14 0c0 5.7 7 12 7 12Z"/><circle cx="12" cy="9" r="2.5"/>`;

/** What a group is about, as its icon shows it (`pin`: nothing recognised). */
export const groupKind = (group: string) => ICONS.find(([, pattern]) => pattern.test(group.toLowerCase()))?.[0] ?? 'pin';

/** The icon of a group (decorative: its name is the text beside it). */
export function groupIcon(group: string) {
  const kind = groupKind(group);
  const shape = ICONS.find(([k]) => k === kind)?.[2] ?? PIN;
  return svg`<svg class="group-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`;
}
