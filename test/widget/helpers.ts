import { fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { nothing } from 'lit';
import '../../widget/index.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';

declare global {
  interface Window {
    GEOREPORT_SERVER: string;
    /** An API key of the test server allowed one report a minute. */
    GEOREPORT_LIMITED_KEY: string;
    /** An integration's key of the test server, which may post status updates. */
    GEOREPORT_UPDATES_KEY: string;
    /** A key of the test server that may post status updates and nothing else (no report scope). */
    GEOREPORT_UPDATES_ONLY_KEY: string;
    /** The Base Adresse Nationale stand-in (test/helpers/ban-stand-in.ts), with the demo addresses. */
    BAN_URL: string;
    /** A server without SMTP, whose photos may weigh 10 kB at most, and whose town has an area (around 47.40, 0.70). */
    GEOREPORT_PLAIN_SERVER: string;
    /** What its administrator wrote for residents reporting a place outside that area. */
    GEOREPORT_OUTSIDE_MESSAGE: { fr: string; en: string };
  }
}

export const SERVER = window.GEOREPORT_SERVER;
export const BAN_URL = window.BAN_URL;

export interface FormOptions {
  server?: string;
  jurisdiction?: string;
  apiKey?: string;
  noMap?: boolean;
  maxPhotos?: number;
  contactRequired?: boolean;
  /** The map's `center` (`lat,long`) and `zoom`, and the `geocoder-url` suggesting addresses. */
  center?: string;
  zoom?: number;
  geocoderUrl?: string;
  /** Leave local storage as it is (to restore a draft). */
  keepDraft?: boolean;
}

/** A report form bound to the real test server, in `lang`, with its catalogue loaded. */
export async function form(lang = 'fr', attrs: FormOptions = {}): Promise<GeoReportForm> {
  if (!attrs.keepDraft) localStorage.clear();
  const el = await fixture<GeoReportForm>(html`<div lang=${lang}>
    <georeport-form server=${attrs.server ?? SERVER} jurisdiction=${attrs.jurisdiction ?? 'ville.example'} api-key=${attrs.apiKey ?? 'demo-public-key'}
      ?no-map=${attrs.noMap ?? true} max-photos=${attrs.maxPhotos ?? nothing} ?contact-required=${attrs.contactRequired ?? false}
      center=${attrs.center ?? nothing} zoom=${attrs.zoom ?? nothing} geocoder-url=${attrs.geocoderUrl ?? nothing}></georeport-form>
  </div>`).then((d) => d.querySelector('georeport-form')!);
  await waitUntil(() => Array.isArray(el.catalogue) || el.catalogue === 'failed', 'the catalogue loads', { timeout: 5000 });
  await el.updateComplete;
  // A draft restored past the first step shows once that step's code is there.
  await waitUntil(() => !el.shadowRoot!.querySelector('#steps-loading'), 'the restored step shows', { timeout: 5000 });
  return el;
}

export const $ = <T extends Element = HTMLElement>(el: GeoReportForm, selector: string) => el.shadowRoot!.querySelector<T>(selector)!;
export const $$ = <T extends Element = HTMLElement>(el: GeoReportForm, selector: string) => [...el.shadowRoot!.querySelectorAll<T>(selector)];

/** Types into a field as a user would (value then input event). */
export async function type(el: GeoReportForm, selector: string, text: string) {
  const input = $<HTMLInputElement>(el, selector);
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
}

/**
 * Next; until the next steps' code is there (loaded while the resident is on the first step, waited for
 * when Next comes first); on a step with a map, until Leaflet (loaded when a map is first shown) runs in it.
 */
export async function next(el: GeoReportForm) {
  $$<HTMLButtonElement>(el, '.nav button[type=submit]')[0]!.click();
  await el.updateComplete;
  await waitUntil(() => !el.waiting, 'the next steps’ code loads', { timeout: 5000 });
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
  const map = el.shadowRoot!.querySelector('.map__canvas');
  if (map) await waitUntil(() => map.classList.contains('leaflet-container'), 'Leaflet runs in the map', { timeout: 5000 });
}

/**
 * Next from the location step, for tests about something else: the shared test server holds earlier
 * tests' reports, so open ones of the same kind nearby may be offered; the resident's is different.
 */
export async function pastLocation(el: GeoReportForm) {
  const from = el.step;
  await next(el);
  await waitUntil(() => el.step !== from || el.shadowRoot!.querySelector('#duplicates-different') || Object.keys(el.errors).length > 0,
    'the form moves on, offers duplicates or shows a problem', { timeout: 5000 });
  if (el.shadowRoot!.querySelector('#duplicates-different')) {
    $<HTMLButtonElement>(el, '#duplicates-different').click();
    await el.updateComplete;
  }
}

export async function choose(el: GeoReportForm, selector: string) {
  $<HTMLInputElement>(el, selector).click();
  await el.updateComplete;
}

/** The current step's heading. */
export const stepTitle = (el: GeoReportForm) => $(el, '#step-title').textContent;

/** From the first step to the details of `service` (its attributes loaded), located by `address`. */
export async function toDetails(el: GeoReportForm, service = 'lampadaire', address = '12 rue Nationale') {
  await choose(el, `#service-${service}`);
  await next(el);
  await type(el, '#address', address);
  await next(el);
  await waitUntil(() => el.definition.length > 0, 'the attributes load');
  await el.updateComplete;
}

/** Answers the streetlight's two required attributes. */
export async function answerStreetlight(el: GeoReportForm) {
  await type(el, '#attr-nombre', '1');
  await choose(el, 'input[name=attr-panne][value=eteint]');
}

/** Sends from the review step; resolves with the tracking number once the server accepted the report. */
export async function send(el: GeoReportForm): Promise<string> {
  await next(el);
  await waitUntil(() => el.status === 'sent', 'the report is sent', { timeout: 5000 });
  await el.updateComplete;
  const outcome = el.result!;
  return outcome.kind === 'filed' ? outcome.answer.service_request_id! : outcome.id;
}

/** Waits until the form is no longer sending (the server answered, or the network failed). */
export async function settled(el: GeoReportForm) {
  await waitUntil(() => el.status !== 'sending', 'the send ends', { timeout: 5000 });
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
}

/** A request as the public GeoReport API shows it (with `extensions=true`). */
export async function publicRequest(id: string): Promise<Record<string, unknown> & { extended_attributes: { media_urls: string[] } }> {
  const res = await fetch(`${SERVER}open311/v2/requests/${id}.json?jurisdiction_id=ville.example&extensions=true`);
  return (await res.json())[0];
}

export interface StoredRequest {
  /** How it came in (`web` for the widget). */
  channel: string;
  reporter: { kind: string; email: string | null; first_name: string | null; last_name: string | null; phone: string | null; organisation: string | null } | null;
  attributes: Record<string, string[]>;
}

/** What the server stored for a request, read from its store: the private parts no API shows. */
export const stored = (id: string) => executeServerCommand<StoredRequest, { id: string }>('georeport-stored-request', { id });

/**
 * What has focus inside the form, as a selector (`#email`, `input[name=mode][value=person]`): compared as
 * text, so a failing check prints it plainly.
 */
export function focused(el: GeoReportForm): string | null {
  const active = el.shadowRoot!.activeElement;
  if (!active) return null;
  if (active.id) return `#${active.id}`;
  const name = active.getAttribute('name');
  return `${active.tagName.toLowerCase()}${name ? `[name=${name}][value=${(active as HTMLInputElement).value}]` : ''}`;
}
