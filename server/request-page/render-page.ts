import { formatDatetime } from '../georeport/datetime.ts';
import type { PublicEvent, PublicRequest } from '../requests/requests.types.ts';
import { html, type Html } from './html.ts';
import { PAGE_LANGUAGES, PAGE_TEXTS, type PageLanguage, type PageTexts } from './page-texts.ts';

/** Where a page stands: its language, and the way back to `/requests/` (every link is relative, so a path in the public URL keeps working). */
export interface PageFrame {
  lang: PageLanguage;
  /** `''` on `/requests/{id}`, `'../'` on the pages below it. */
  base: string;
  /** The town's name, in the header (none on a page that is about no request). */
  town?: string;
  /** Offer the page in the other languages (`?lang=`): only on pages reached by GET. */
  languages?: boolean;
}

/** A whole document: the same-origin stylesheet, the header, `body` in `<main>`, and `footer`. */
function layout(frame: PageFrame, title: string, head: Html | null, body: Html, footer: Html | null = null): string {
  const others = frame.languages ? PAGE_LANGUAGES.filter((l) => l !== frame.lang) : [];
  return `<!doctype html>\n${html`<html lang="${frame.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${frame.base}request-page.css">
${head}</head>
<body><header class="site"><div class="site__inner">${frame.town ? html`<p class="site__name">${frame.town}</p>` : null}
${others.map((l) => html`<a href="?lang=${l}" hreflang="${l}" lang="${l}">${PAGE_TEXTS[l].name}</a>`)}</div></header>
<main>${body}</main>
${footer ? html`<footer>${footer}</footer>` : null}
</body></html>`}\n`;
}

/** Everything a request's page shows, found and checked by the route. */
export interface RequestPageData {
  request: PublicRequest;
  /** Its public photos, as absolute URLs. */
  photos: string[];
  /** Its public timeline, oldest first. */
  history: PublicEvent[];
  jurisdictionId: string;
  /** The page's own absolute URL (canonical, shared). */
  url: string;
  /** The follow form, when the server sends e-mail: what was typed, and whether it was refused. */
  follow: { email: string; invalid: boolean } | null;
  timeZone: string;
}

const coordinate = (value: number) => value.toFixed(5);
/** At most `max` characters, cut at a word, for a sharing card. */
const excerpt = (text: string, max = 200) => (text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`);

function dates(t: PageTexts, timeZone: string) {
  const day = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone });
  const moment = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
  return {
    day: (seconds: number) => html`<time datetime="${formatDatetime(seconds)}">${day.format(seconds * 1000)}</time>`,
    moment: (seconds: number) => html`<time datetime="${formatDatetime(seconds)}">${moment.format(seconds * 1000)}</time>`,
  };
}

/** The place in words and numbers, with a link to see it on OpenStreetMap: nothing is loaded from elsewhere. */
function place(t: PageTexts, r: PublicRequest) {
  const at = r.lat === null || r.long === null ? null : { lat: coordinate(r.lat), long: coordinate(r.long) };
  return html`<section aria-labelledby="place-title"><h2 id="place-title">${t.place}</h2>
<p class="address">${r.address ?? t.noAddress}</p>
${at ? html`<p>${t.coordinates(at.lat, at.long)}</p>
<p><a class="action" href="https://www.openstreetmap.org/?mlat=${at.lat}&amp;mlon=${at.long}#map=18/${at.lat}/${at.long}">${t.map}</a></p>` : null}
</section>`;
}

function timeline(t: PageTexts, history: PublicEvent[], when: (seconds: number) => Html) {
  return html`<section aria-labelledby="history-title"><h2 id="history-title">${t.history}</h2><ol class="timeline">${history.map((e) => html`<li>${when(e.at)}
<span class="timeline__what">${e.type === 'created' ? t.filed : e.detailedStatus ? t.statuses[e.detailedStatus] : t.note}</span>
${e.note ? html`<p class="timeline__note">${e.note}</p>` : null}</li>`)}</ol></section>`;
}

function followForm(t: PageTexts, frame: PageFrame, id: number, follow: { email: string; invalid: boolean }) {
  const describedBy = follow.invalid ? 'follow-intro follow-error' : 'follow-intro';
  return html`<section class="follow" aria-labelledby="follow-title"><h2 id="follow-title">${t.follow.title}</h2>
<p id="follow-intro">${t.follow.intro}</p>
<form method="post" action="${frame.base}${id}/follow"><input type="hidden" name="lang" value="${frame.lang}">
<label for="follow-email">${t.follow.email}</label>
<input id="follow-email" name="email" type="email" autocomplete="email" required value="${follow.email}" aria-describedby="${describedBy}"${follow.invalid ? html` aria-invalid="true"` : null}>
${follow.invalid ? html`<p class="error" id="follow-error">${t.follow.invalid}</p>` : null}
<button type="submit">${t.follow.button}</button></form></section>`;
}

/**
 * A request's public page: status in residents' words, what was reported, the facts, the place, photos,
 * the timeline with the city's notes, following by e-mail, and its Open311 JSON; Open Graph tags for
 * sharing. Every text comes through `html`, so none of it can be markup.
 */
export function requestPage(frame: PageFrame, data: RequestPageData): string {
  const t = PAGE_TEXTS[frame.lang];
  const r = data.request;
  const status = t.statuses[r.detailedStatus];
  const { day, moment } = dates(t, data.timeZone);
  const summary = [r.description && excerpt(r.description), r.address].filter(Boolean).join(' — ') || status;
  const json = `${frame.base}../open311/v2/requests/${r.id}.json?jurisdiction_id=${encodeURIComponent(data.jurisdictionId)}`;
  const head = html`<meta name="description" content="${summary}">
<link rel="canonical" href="${data.url}">
<link rel="alternate" type="application/json" href="${json}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${frame.town ?? ''}">
<meta property="og:title" content="${t.ogTitle(r.serviceName, status, r.id)}">
<meta property="og:description" content="${summary}">
<meta property="og:url" content="${data.url}">
<meta property="og:locale" content="${t.ogLocale}">
${data.photos[0] ? html`<meta property="og:image" content="${data.photos[0]}">
<meta property="og:image:alt" content="${t.photo(1)}">` : null}`;
  const body = html`<p class="kicker">${t.number(r.id)}</p>
<h1>${r.title ?? r.serviceName}</h1>
<p class="status status--${r.status}"><span class="visually-hidden">${t.status}</span>${status}</p>
${r.description ? html`<p class="description">${r.description}</p>` : null}
${r.duplicateOf === null ? null : html`<p class="notice">${t.duplicateOf} <a href="${frame.base}${r.duplicateOf}">${t.other(r.duplicateOf)}</a>.</p>`}
<h2 class="visually-hidden">${t.facts}</h2>
<dl class="facts">
${r.title ? html`<dt>${t.service}</dt><dd>${r.serviceName}</dd>` : null}
<dt>${t.reported}</dt><dd>${day(r.requestedAt)}</dd>
<dt>${t.updated}</dt><dd>${day(r.updatedAt)}</dd>
${r.expectedAt !== null && r.status === 'open' ? html`<dt>${t.expected}</dt><dd>${day(r.expectedAt)}</dd>` : null}
${r.agencyResponsible ? html`<dt>${t.agency}</dt><dd>${r.agencyResponsible}</dd>` : null}
</dl>
<p>${t.followers(r.followers)}</p>
${place(t, r)}
${data.photos.length ? html`<section aria-labelledby="photos-title"><h2 id="photos-title">${t.photos}</h2><ul class="photos">${data.photos.map((src, i) =>
    html`<li><a href="${src}"><img src="${src}" alt="${t.photo(i + 1)}"></a></li>`)}</ul></section>` : null}
${timeline(t, data.history, moment)}
${data.follow && r.status === 'open' ? followForm(t, frame, r.id, data.follow) : null}`;
  return layout(frame, t.title(r.id, r.serviceName, frame.town ?? ''), head, body, html`<p><a href="${json}">${t.openData}</a></p>`);
}

/** The page of a request the public may not see, or that does not exist: the same for all, whatever the request. */
export function notFoundPage(frame: PageFrame): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout({ ...frame, town: undefined }, t.notFound.title, null,
    html`<h1>${t.notFound.title}</h1><p>${t.notFound.text}</p>`);
}

/** After following by e-mail: what to do next, the same whether the address was known or not. */
export function followedPage(frame: PageFrame, id: number): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(frame, t.follow.doneTitle, null, html`<p class="kicker">${t.number(id)}</p><h1>${t.follow.doneTitle}</h1>
<p>${t.follow.done}</p><p><a class="action" href="../${id}">${t.follow.back}</a></p>`);
}

/** A follow that could not be taken (too many, unreadable), with the way back. */
export function refusedPage(frame: PageFrame, id: string, reason: 'busy' | 'malformed'): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(frame, t.refused.title, null, html`<h1>${t.refused.title}</h1><p>${t.refused[reason]}</p>
<p><a class="action" href="../${id}">${t.follow.back}</a></p>`);
}
