/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import type { GeoReportMyRequests } from '../../widget/tracking/georeport-my-requests.ts';
import { $, $$, answerStreetlight, choose, form, next, send, SERVER, toDetails, type } from './helpers.ts';
import { $m, fileRequest, mapAt } from './map-helpers.ts';

/** The town of the test server whose fly-posting reports wait for a moderator (test/fixtures/catalogues/held.json). */
const HELD_TOWN = 'moderee.example';
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();

/** axe-core at the test page's width, then at 320 px (a phone at 400 % zoom), where nothing may scroll sideways. */
async function audit(el: Element, state: string) {
  try {
    await expect(el).to.be.accessible();
    await setViewport({ width: 320, height: 640 });
    await expect(el).to.be.accessible();
    expect(document.documentElement.scrollWidth, 'no sideways scrolling at 320 px').to.be.at.most(320);
  } catch (e) {
    throw new Error(`${state}: ${(e as Error).message}`);
  } finally {
    await setViewport({ width: 800, height: 600 });
  }
}

/** Files a fly-posting report in the held town, anonymously, up to its result. */
async function fileHeld(lang: string): Promise<{ el: GeoReportForm; id: string }> {
  // The demo key files in the demo city only; an integration's key files anywhere.
  const el = await form(lang, { jurisdiction: HELD_TOWN, apiKey: window.GEOREPORT_UPDATES_KEY });
  await choose(el, '#service-affichage-sauvage');
  await next(el);
  await type(el, '#address', '3 place du Marché');
  await next(el); // location → details
  await next(el); // → photos
  await next(el); // → contact
  await choose(el, 'input[name=mode][value=anonymous]');
  await next(el); // → review
  return { el, id: await send(el) };
}

/** "My reports" of a town, once loaded. */
async function mine(jurisdiction: string, lang = 'fr'): Promise<GeoReportMyRequests> {
  const el = await fixture<GeoReportMyRequests>(html`<div lang=${lang}><georeport-my-requests server=${SERVER} jurisdiction=${jurisdiction}></georeport-my-requests></div>`)
    .then((d) => d.querySelector('georeport-my-requests')!);
  await waitUntil(() => el.state === 'ready', 'my reports load', { timeout: 5000 });
  await el.updateComplete;
  return el;
}

describe('after sending', () => {
  it('shows the tracking number with the date the city expects to deal with it, what happens next and a link to its page', async () => {
    const el = await form('fr');
    await toDetails(el);
    await answerStreetlight(el);
    await next(el);
    await next(el);
    await choose(el, 'input[name=mode][value=anonymous]');
    await next(el);
    const id = await send(el);
    const result = $(el, '.result');
    expect(text(result)).to.contain(fr.result.number(id));
    const expected = await (await fetch(`${SERVER}open311/v2/requests/${id}.json?jurisdiction_id=ville.example`)).json();
    const date = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(new Date(expected[0].expected_datetime));
    expect(text(result)).to.contain(fr.afterSending.expected(date));
    expect(text(result)).to.contain(fr.afterSending.published);
    const link = $<HTMLAnchorElement>(el, '.result a.result__page');
    expect(link.href).to.equal(`${SERVER}requests/${id}`);
    expect(link.textContent!.trim()).to.equal(fr.afterSending.page);
    await audit(el, 'the result of a published report');
  });

  it('a report held for moderation says it will be checked before it appears, and links to no page yet', async () => {
    const { el, id } = await fileHeld('fr');
    const result = $(el, '.result');
    expect(text(result)).to.contain(fr.result.number(id));
    expect(text(result)).to.contain(fr.afterSending.held);
    expect(result.querySelector('a.result__page')).to.equal(null);
    await audit(el, 'the result of a held report');
  });
});

describe('"my reports"', () => {
  it('shows a report held for moderation as waiting for approval, not as gone', async () => {
    const { id } = await fileHeld('fr');
    const el = await mine(HELD_TOWN);
    const item = text(el.shadowRoot!.querySelector('.mine li')!);
    expect(item).to.contain(`Signalement ${id}`);
    expect(item).to.contain('En attente de validation');
    expect(item).not.to.contain('La ville ne l’affiche plus.');
    await audit(el, 'a held report in my reports');
  });

  it('opens each public report on its page; a report unknown to the city is said to be gone', async () => {
    localStorage.clear();
    const filed = await fileRequest({ lat: '47.41', long: '0.70' });
    localStorage.setItem(`georeport-tracked:${SERVER}:ville.example`, JSON.stringify([
      { id: filed, kind: 'filed', at: new Date().toISOString() }, { id: '999999', kind: 'followed', at: new Date().toISOString() },
    ]));
    const el = await mine('ville.example', 'en');
    const [first, second] = $$(el as unknown as GeoReportForm, '.mine li');
    const link = first!.querySelector<HTMLAnchorElement>('a')!;
    expect(link.href).to.equal(`${SERVER}requests/${filed}`);
    expect(text(link)).to.contain(`Report ${filed}`).and.contain('Graffiti');
    expect(text(second!)).to.contain(en.mine.gone);
    expect(second!.querySelector('a')).to.equal(null, 'nothing to open');
    await audit(el, 'my reports with a public and an unknown report');
  });
});

describe('the map’s detail', () => {
  it('links to the request’s page', async () => {
    const spot = { lat: 47.4061, long: 0.7311 };
    const address = `${Math.random()} rue de la Page`;
    const id = await fileRequest({ lat: String(spot.lat), long: String(spot.long), address_string: address });
    const el = await mapAt(spot.lat, spot.long, 18, 'fr', true);
    await waitUntil(() => el.list !== null);
    await el.updateComplete;
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.reports__item')].find((b) => b.textContent!.includes(address))!.click();
    await waitUntil(() => el.selected?.service_request_id === id);
    await el.updateComplete;
    const link = $m<HTMLAnchorElement>(el, '.detail a.detail__page');
    expect(link.href).to.equal(`${SERVER}requests/${id}`);
    expect(link.textContent!.trim()).to.equal(fr.afterSending.page);
  });
});
