/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import type { GeoReportMyRequests } from '../../widget/tracking/georeport-my-requests.ts';
import type { GeoReportStatus } from '../../widget/tracking/georeport-status.ts';
import type { GeoReportWidget } from '../../widget/georeport-widget.ts';
import { $, $$, choose, form, next, SERVER } from './helpers.ts';
import { $$m, $m, fileRequest, mapAt, updateRequest } from './map-helpers.ts';

const API = `${SERVER}open311/v2/`;
const followersOf = async (id: string) =>
  (await (await fetch(`${API}requests/${id}.json?jurisdiction_id=ville.example&extensions=true`)).json())[0].extended_attributes.followers as number;

declare global {
  interface Window {
    __xss?: number;
  }
}
const HOSTILE = '<img src=x onerror="window.__xss=1"><b>gras</b>';

describe('duplicates before they happen', () => {
  it('offers the open requests of the same kind nearby, and following one ends the report there', async () => {
    const spot = { lat: 47.4188, long: 0.7011 };
    const existing = await fileRequest({ service_code: 'nid-de-poule', 'attribute[taille]': 'petit', lat: String(spot.lat + 0.0001), long: String(spot.long), description: 'Gros trou devant la poste' });
    const before = await followersOf(existing);
    const el = await form('en', { noMap: false, center: `${spot.lat},${spot.long}`, zoom: 17 });
    await choose(el, '#service-nid-de-poule');
    await next(el);
    $(el, '.map__canvas').focus();
    await sendKeys({ press: 'Enter' }); // the pin at the map's centre
    await el.updateComplete;
    await next(el);
    await waitUntil(() => el.shadowRoot!.querySelector('.duplicates'), 'nearby requests are offered');
    await el.updateComplete;
    expect(el.step, 'still on the location step').to.equal(1);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#duplicates-title'));
    const offered = $$(el, '.duplicates li');
    const mine = offered.find((li) => li.textContent!.includes(`Report ${existing}`))!;
    expect(mine.textContent).to.contain('Gros trou devant la poste').and.contain('m away');
    mine.querySelector('button')!.click();
    await waitUntil(() => el.status === 'sent', 'following ends the report');
    await el.updateComplete;
    expect($(el, '#result-title').textContent).to.equal(en.result.followedTitle);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#result-title'));
    expect(await followersOf(existing)).to.equal(before + 1);
    expect(JSON.parse(localStorage.getItem(`georeport-tracked:${SERVER}:ville.example`)!)[0]).to.include({ id: existing, kind: 'followed' });
    expect(Object.keys(localStorage).filter((k) => k.startsWith('georeport-draft:'))).to.deep.equal([], 'nothing left to send');
  });

  it('lets the resident go on with their own report when it is different, and does not ask twice', async () => {
    const spot = { lat: 47.4166, long: 0.6955 };
    await fileRequest({ service_code: 'nid-de-poule', 'attribute[taille]': 'petit', lat: String(spot.lat), long: String(spot.long) });
    const el = await form('fr', { noMap: false, center: `${spot.lat},${spot.long}`, zoom: 17 });
    await choose(el, '#service-nid-de-poule');
    await next(el);
    $(el, '.map__canvas').focus();
    await sendKeys({ press: 'Enter' });
    await next(el);
    await waitUntil(() => el.shadowRoot!.querySelector('#duplicates-different'));
    expect($(el, '#duplicates-title').textContent).to.equal(fr.duplicates.title);
    $<HTMLButtonElement>(el, '#duplicates-different').click();
    await el.updateComplete;
    expect(el.step).to.equal(2, 'on to the details');
    $$<HTMLButtonElement>(el, '.nav button')[0]!.click(); // back
    await el.updateComplete;
    await next(el);
    await el.updateComplete;
    expect(el.step, 'not asked again for the same place').to.equal(2);
  });
});

describe('e-mails wait for the address to be confirmed', () => {
  it('after "me too" with an e-mail, the resident is told to confirm it from their inbox', async () => {
    localStorage.clear();
    const spot = { lat: 47.4021, long: 0.7188 };
    const id = await fileRequest({ lat: String(spot.lat), long: String(spot.long), description: 'Lampadaire éteint' });
    const el = await mapAt(spot.lat, spot.long, 18, 'fr');
    $$m(el, '.leaflet-marker-icon.reports__marker')[0]!.click();
    await waitUntil(() => el.selected?.service_request_id === id);
    await el.updateComplete;
    const email = $m<HTMLInputElement>(el, '#follow-email');
    email.value = 'voisine@example.fr';
    email.dispatchEvent(new Event('input'));
    $m<HTMLButtonElement>(el, '.detail__follow button[type=submit]').click();
    await waitUntil(() => el.follow.state === 'done');
    await el.updateComplete;
    const notice = $m(el, '.detail .notice');
    expect(notice.getAttribute('role')).to.equal('status', 'announced');
    expect(notice.textContent).to.equal(`${fr.follow.done} ${fr.follow.checkInbox}`);
    await expect(el).to.be.accessible();
  });
});

describe('following up', () => {
  it('lists the reports filed and followed on this device, with their status and the city’s note', async () => {
    localStorage.clear();
    const filed = await fileRequest({ lat: '47.41', long: '0.70' });
    await updateRequest(filed, 'PLANNED', 'Passage prévu lundi');
    localStorage.setItem(`georeport-tracked:${SERVER}:ville.example`, JSON.stringify([{ id: filed, kind: 'filed', at: new Date().toISOString() }, { id: '999999', kind: 'followed', at: new Date().toISOString() }]));
    const el = await fixture<GeoReportMyRequests>(html`<georeport-my-requests server=${SERVER} jurisdiction="ville.example"></georeport-my-requests>`);
    await waitUntil(() => el.state === 'ready');
    await el.updateComplete;
    const items = [...el.shadowRoot!.querySelectorAll('.mine li')].map((li) => li.textContent!.replace(/\s+/g, ' '));
    expect(items[0]).to.contain(`Report ${filed}`).and.contain(en.mine.filed).and.contain(en.statuses.planned).and.contain('Passage prévu lundi');
    expect(items[1]).to.contain('Report 999999').and.contain(en.mine.gone);
    await expect(el).to.be.accessible();
  });

  it('<georeport-status> shows one request’s status and note anywhere, in the page’s language', async () => {
    const id = await fileRequest({ lat: '47.41', long: '0.71' });
    await updateRequest(id, 'FIXED', 'Effacé');
    const el = await fixture<GeoReportStatus>(html`<div lang="fr"><georeport-status server=${SERVER} jurisdiction="ville.example" request-id=${id}></georeport-status></div>`)
      .then((d) => d.querySelector('georeport-status')!);
    await waitUntil(() => el.state === 'ready');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent!.replace(/\s+/g, ' ')).to.contain(`Signalement ${id} : Résolu`).and.contain('Effacé');
    el.requestId = '424242424';
    await waitUntil(() => el.state === 'missing');
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain(fr.status.notFound('424242424'));
  });

  it('<georeport-widget> offers the form, the map and "my reports" as tabs, operable with the arrow keys', async () => {
    const el = await fixture<GeoReportWidget>(html`<georeport-widget server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key" no-map></georeport-widget>`);
    const tabs = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=tab]')];
    expect(tabs.map((t) => t.textContent)).to.deep.equal([en.tabs.report, en.tabs.map, en.tabs.mine]);
    const panels = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role=tabpanel]')].map((p) => !p.hidden);
    expect(panels()).to.deep.equal([true, false, false]);
    tabs[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(panels()).to.deep.equal([false, true, false]);
    expect(el.shadowRoot!.activeElement).to.equal(tabs[1]);
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(panels()).to.deep.equal([false, false, true]);
    await expect(el).to.be.accessible();
  });
});

describe('markup in requests is shown as text', () => {
  beforeEach(() => delete window.__xss);

  it('in the map’s list, its detail, its timeline and the status element', async () => {
    const spot = { lat: 47.4088, long: 0.7422 };
    const id = await fileRequest({ lat: String(spot.lat), long: String(spot.long), description: HOSTILE, address_string: HOSTILE, title: HOSTILE });
    await updateRequest(id, 'IN_PROGRESS', HOSTILE);
    const el = await mapAt(spot.lat, spot.long, 18);
    $$m(el, '.leaflet-marker-icon.reports__marker')[0]!.click();
    await waitUntil(() => el.selected !== null);
    await el.updateComplete;
    expect($m(el, '.detail__description').textContent).to.equal(HOSTILE);
    expect($m(el, '.detail__title').textContent).to.equal(HOSTILE);
    expect($m(el, '.detail__event-note').textContent).to.equal(HOSTILE);
    expect($m(el, '.detail__facts').textContent).to.contain(HOSTILE);
    [...$$m<HTMLButtonElement>(el, '.reports__views button')].find((b) => b.textContent === en.map.viewList)!.click();
    await waitUntil(() => el.list !== null && el.loading === 'ready');
    await el.updateComplete;
    expect($m(el, '.reports__item-address').textContent).to.equal(HOSTILE);
    const status = await fixture<GeoReportStatus>(html`<georeport-status server=${SERVER} jurisdiction="ville.example" request-id=${id}></georeport-status>`);
    await waitUntil(() => status.state === 'ready');
    await status.updateComplete;
    expect(status.shadowRoot!.querySelector('.note')!.textContent).to.contain(HOSTILE);
    await new Promise((r) => setTimeout(r, 100));
    const planted = [el.shadowRoot!, status.shadowRoot!].flatMap((root) => [...root.querySelectorAll('b, img:not(.leaflet-tile)')].filter((e) => !e.closest('.detail__photos')));
    expect(planted.map((e) => e.outerHTML)).to.deep.equal([]);
    expect(window.__xss).to.equal(undefined);
  });
});
