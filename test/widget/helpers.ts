import { fixture, html, waitUntil } from '@open-wc/testing';
import '../../widget/index.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';

declare global {
  interface Window {
    GEOREPORT_SERVER: string;
  }
}

export const SERVER = window.GEOREPORT_SERVER;

/** A report form bound to the real test server, in `lang`, with its catalogue loaded. */
export async function form(lang = 'fr', attrs: { server?: string; noMap?: boolean } = {}): Promise<GeoReportForm> {
  localStorage.clear();
  const el = await fixture<GeoReportForm>(html`<div lang=${lang}>
    <georeport-form server=${attrs.server ?? SERVER} jurisdiction="ville.example" api-key="demo-public-key" ?no-map=${attrs.noMap ?? true}></georeport-form>
  </div>`).then((d) => d.querySelector('georeport-form')!);
  await waitUntil(() => Array.isArray(el.catalogue) || el.catalogue === 'failed', 'the catalogue loads', { timeout: 5000 });
  await el.updateComplete;
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

export async function next(el: GeoReportForm) {
  $$<HTMLButtonElement>(el, '.nav button[type=submit]')[0]!.click();
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
}

export async function choose(el: GeoReportForm, selector: string) {
  $<HTMLInputElement>(el, selector).click();
  await el.updateComplete;
}
