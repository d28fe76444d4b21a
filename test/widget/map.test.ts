/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { en } from '../../widget/i18n/en.ts';
import type { GeoReportMap } from '../../widget/request-map/georeport-map.ts';
import { $$m, $m, fileRequest, mapAt, SERVER_API as API, updateRequest } from './map-helpers.ts';

/** A corner of the demo city kept for these tests, away from the others' reports. */
const AREA = { lat: 47.4301, long: 0.7302 };

const markers = (el: GeoReportMap) => $$m(el, '.leaflet-marker-icon.reports__marker');
const clusters = (el: GeoReportMap) => $$m(el, '.leaflet-marker-icon.reports__cluster');

/** Waits for the next answer after something moved the view or changed the filters. */
async function reloaded(el: GeoReportMap, before: unknown) {
  await waitUntil(() => el.answer !== before && el.loading === 'ready', 'the map reloads', { timeout: 8000 });
  await el.updateComplete;
}

describe('georeport-map', () => {
  let spread: string[] = [];
  before(async function () {
    this.timeout(60_000);
    // 400 requests over ≈ 1 km around AREA, a quarter then closed: clusters when zoomed out.
    const ids = [];
    for (let i = 0; i < 400; i++) {
      const lat = AREA.lat + ((i % 20) - 10) * 0.0004;
      const long = AREA.long + (Math.floor(i / 20) - 10) * 0.0004;
      ids.push(fileRequest({ lat: String(lat), long: String(long), description: `Tag ${i}` }));
    }
    spread = await Promise.all(ids);
    for (const id of spread.slice(0, 100)) await updateRequest(id, 'FIXED', 'Nettoyé');
  });

  it('shows server clusters when zoomed out, each a focusable button counting its requests', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 13);
    expect(el.answer!.clusters, 'clusters from the server').to.be.an('array').that.is.not.empty;
    const icons = clusters(el);
    expect(icons.length).to.equal(el.answer!.clusters!.length);
    const total = el.answer!.clusters!.reduce((s, c) => s + c.count, 0);
    expect(total).to.be.at.least(400);
    for (const icon of icons) {
      expect(icon.getAttribute('role')).to.equal('button');
      expect(icon.getAttribute('tabindex')).to.equal('0');
      expect(icon.getAttribute('aria-label')).to.match(/^\d+ reports here, \d+ open: zoom in$/);
      expect(icon.querySelector('.reports__count')!.textContent).to.match(/^\d+$/);
    }
    expect($m(el, '.reports__summary').textContent).to.equal(en.map.count(el.answer!.total, false));
  });

  it('at street level shows each request as a marker, and groups close ones in the browser', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 17);
    expect(el.answer!.markers).to.be.an('array').that.is.not.empty;
    const shown = markers(el);
    expect(shown.length).to.be.greaterThan(0);
    expect(shown[0]!.getAttribute('aria-label')).to.match(/^Graffiti, (Received|Fixed): details$/);
    const zoomedOut = await mapAt(AREA.lat, AREA.long, 16);
    expect(clusters(zoomedOut).length, 'markers closer than 48 px are grouped').to.be.greaterThan(0);
    const before = zoomedOut.answer;
    clusters(zoomedOut)[0]!.click();
    await reloaded(zoomedOut, before);
    expect(zoomedOut.currentView!.zoom).to.be.greaterThan(16);
  });

  it('filters by status and category, and says how many requests are in view', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 17);
    const all = el.answer!.total;
    let before = el.answer;
    const status = $m<HTMLSelectElement>(el, '#filter-status');
    status.value = 'closed';
    status.dispatchEvent(new Event('change'));
    await reloaded(el, before);
    expect(el.answer!.markers!.every((m) => m.status === 'closed')).to.equal(true);
    expect(el.answer!.total).to.be.lessThan(all);
    expect($$m(el, '.reports__marker--open')).to.deep.equal([]);
    before = el.answer;
    const service = $m<HTMLSelectElement>(el, '#filter-service');
    service.value = 'nid-de-poule';
    service.dispatchEvent(new Event('change'));
    await reloaded(el, before);
    expect(el.answer!.total).to.equal(0);
    expect($m(el, '.reports__summary').textContent).to.equal(en.map.count(0, false));
  });

  it('has a list twin of the view: the same requests, paged, as buttons', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 17);
    const inView = new Set(el.answer!.markers!.map((m) => m.service_request_id));
    [...$$m<HTMLButtonElement>(el, '.reports__views button')].find((b) => b.textContent === en.map.viewList)!.click();
    await waitUntil(() => el.list !== null && el.loading === 'ready', 'the list loads');
    await el.updateComplete;
    expect($m(el, '.reports__map').hidden).to.equal(true);
    const items = $$m<HTMLButtonElement>(el, '.reports__item');
    expect(items.length).to.equal(Math.min(20, inView.size));
    expect(el.list!.requests.every((r) => inView.has(r.service_request_id)), 'the list shows what the map shows').to.equal(true);
    if (el.list!.pages > 1) {
      const first = el.list!.requests[0]!.service_request_id;
      $$m<HTMLButtonElement>(el, '.reports__pages button')[1]!.click();
      await waitUntil(() => el.list!.page === 2 && el.loading === 'ready');
      expect(el.list!.requests.map((r) => r.service_request_id)).not.to.include(first);
    }
  });

  it('opens a request from the keyboard: Tab to a marker, Enter, then its detail; Escape brings focus back', async () => {
    const id = await fileRequest({ lat: String(AREA.lat + 0.01), long: String(AREA.long + 0.01), description: 'Tag sur le pont', address_string: '1 quai Ouest' });
    await updateRequest(id, 'IN_PROGRESS', 'Équipe prévue jeudi');
    const el = await mapAt(AREA.lat + 0.01, AREA.long + 0.01, 18);
    const marker = markers(el).find((m) => m.getAttribute('aria-label')!.includes('In progress'))!;
    marker.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.selected?.service_request_id === id, 'the detail opens');
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal($m(el, '#detail-title'));
    expect($m(el, '#detail-title').textContent).to.equal(`Report ${id} · Graffiti`);
    const detail = $m(el, '.detail').textContent!;
    expect(detail).to.contain('Tag sur le pont').and.contain('1 quai Ouest').and.contain('Équipe prévue jeudi').and.contain(en.statuses.in_progress);
    expect($$m(el, '.detail__history li').length).to.equal(2, 'received, then in progress');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => el.selected === null);
    await waitUntil(() => el.shadowRoot!.activeElement === marker, 'focus returns to the marker');
  });

  it('pans with the arrow keys and loads the new view', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 15);
    const before = el.answer;
    const from = el.currentView!.bbox[0];
    $m(el, '.reports__canvas').focus();
    await sendKeys({ press: 'ArrowRight' });
    await reloaded(el, before);
    expect(el.currentView!.bbox[0]).to.be.greaterThan(from);
  });

  it('lets a resident follow a request from its detail ("me too"), once per device, with an optional e-mail', async () => {
    localStorage.clear();
    const id = await fileRequest({ lat: String(AREA.lat - 0.01), long: String(AREA.long), description: 'Tag à suivre' });
    const el = await mapAt(AREA.lat - 0.01, AREA.long, 18);
    markers(el)[0]!.click();
    await waitUntil(() => el.selected?.service_request_id === id);
    await el.updateComplete;
    const email = $m<HTMLInputElement>(el, '#follow-email');
    email.value = 'pas-une-adresse';
    email.dispatchEvent(new Event('input'));
    $m<HTMLButtonElement>(el, '.detail__follow button[type=submit]').click();
    await el.updateComplete;
    expect($m(el, '#follow-email-error').textContent).to.equal(en.follow.emailInvalid);
    email.value = '';
    email.dispatchEvent(new Event('input'));
    let followed: { id: string; followers: number } | undefined;
    el.addEventListener('georeport-followed', (e) => (followed = e.detail));
    $m<HTMLButtonElement>(el, '.detail__follow button[type=submit]').click();
    await waitUntil(() => el.follow.state === 'done');
    await el.updateComplete;
    expect(followed).to.deep.equal({ id, followers: 1 });
    expect($m(el, '.detail .notice').textContent).to.equal(en.follow.done, 'without an e-mail, nothing to confirm');
    expect($m(el, '.detail__followers').textContent).to.equal(en.detail.followers(1));
    const again = await fetch(`${API}requests/${id}/followers.json`, {
      method: 'POST', body: new URLSearchParams({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', device_id: localStorage.getItem('georeport-device')! }),
    });
    expect((await again.json())[0].followers, 'the same device counts once').to.equal(1);
  });

  it('without a map, lists the requests alone', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 14, 'fr', true);
    expect($m(el, '.reports__canvas')).to.equal(null);
    expect($$m(el, '.reports__item').length).to.equal(20);
    expect($m(el, '.reports__summary').textContent).to.match(/signalements dans ce secteur\.$/);
  });

  it('is accessible in its map, list and detail views (axe-core)', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 17);
    await expect(el).to.be.accessible();
    markers(el)[0]!.click();
    await waitUntil(() => el.selected !== null);
    await el.updateComplete;
    await expect(el).to.be.accessible();
    [...$$m<HTMLButtonElement>(el, '.reports__views button')].find((b) => b.textContent === en.map.viewList)!.click();
    await waitUntil(() => el.list !== null && el.loading === 'ready');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('speaks French when the page does', async () => {
    const el = await mapAt(AREA.lat, AREA.long, 13, 'fr');
    expect($m(el, '#reports-title').textContent).to.equal('Signalements du secteur');
    expect(clusters(el)[0]!.getAttribute('aria-label')).to.match(/^\d+ signalements ici, dont \d+ ouverts : zoomer$/);
    expect($m(el, '.reports__canvas').getAttribute('aria-label')).to.match(/^Carte des signalements/);
  });
});
