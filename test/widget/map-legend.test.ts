/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { $$m, $m, fileRequest, mapAt, updateRequest } from './map-helpers.ts';

/** A corner of the demo city kept for these tests, away from the other tests' reports. */
const SPOT = { lat: 47.3702, long: 0.6605 };
/** Two places ≈ 70 m apart (80 px at zoom 17): each holds two requests at the very same point, so they group at any zoom below 18. */
const A = { lat: String(SPOT.lat), long: String(SPOT.long) };
const B = { lat: String(SPOT.lat + 0.0006), long: String(SPOT.long) };

/** The outline of a drawn shape (its first path): what tells the kinds apart besides colour. */
const outline = (shape: Element) => shape.querySelector('path')!.getAttribute('d');
const colour = (shape: Element) => getComputedStyle(shape).color;

describe('the public map tells open, fixed and closed apart', () => {
  /** A: one fixed, one closed as a duplicate; B: one open, one fixed. */
  let ids: string[] = [];
  before(async function () {
    this.timeout(20_000);
    ids = await Promise.all([A, A, B, B].map((at, i) => fileRequest({ ...at, description: `Tag ${i}` })));
    await updateRequest(ids[0]!, 'FIXED', 'Nettoyé ce matin');
    await updateRequest(ids[1]!, 'DUPLICATE', 'Déjà signalé');
    await updateRequest(ids[3]!, 'FIXED', 'Nettoyé hier');
  });

  it('by shape as well as colour, with a key to them under the map', async () => {
    const el = await mapAt(SPOT.lat + 0.0003, SPOT.long, 18, 'en');
    const shown = el.answer!.markers!.map((m) => [m.service_request_id, m.status, m.detailed_status]);
    expect(shown).to.have.deep.members([[ids[0], 'closed', 'fixed'], [ids[1], 'closed', 'duplicate'], [ids[2], 'open', 'received'], [ids[3], 'closed', 'fixed']]);
    const count = (kind: string) => $$m(el, `.reports__marker--${kind}`).length;
    expect([count('open'), count('fixed'), count('closed')], 'open, fixed, closed markers').to.deep.equal([1, 2, 1]);
    const shapes = ['open', 'fixed', 'closed'].map((kind) => $m(el, `.reports__marker--${kind} svg`));
    expect(new Set(shapes.map(outline)).size, 'three outlines').to.equal(3);
    expect(new Set(shapes.map(colour)).size, 'three colours').to.equal(3);
    const key = $$m(el, '.reports__legend li');
    expect(key.map((li) => li.textContent!.trim())).to.deep.equal([en.mapKey.open, en.mapKey.fixed, en.mapKey.closed, `12${en.mapKey.cluster}`]);
    // The key draws each kind as the map does.
    expect(key.slice(0, 3).map((li) => outline(li.querySelector('svg')!))).to.deep.equal(shapes.map(outline));
    expect(key.slice(0, 3).map((li) => colour(li.querySelector('svg')!))).to.deep.equal(shapes.map(colour));
    for (const marker of $$m(el, '.reports__marker')) {
      const box = marker.getBoundingClientRect();
      expect(box.width, 'a marker large enough to aim at with a mouse').to.be.at.least(24);
      expect(box.height).to.equal(box.width);
    }
    await expect(el).to.be.accessible();
  });

  it('marks a cluster holding open requests with a badge in the open shape, and no other', async () => {
    const el = await mapAt(SPOT.lat + 0.0003, SPOT.long, 17, 'en');
    const labels = $$m(el, '.reports__cluster').map((c) => [c.getAttribute('aria-label'), c.querySelector('.reports__badge') !== null]);
    expect(labels).to.deep.include.members([['2 reports here, 0 open: zoom in', false], ['2 reports here, 1 open: zoom in', true]]);
    await expect(el).to.be.accessible();
  });

  it('in French when the page is', async () => {
    const el = await mapAt(SPOT.lat + 0.0003, SPOT.long, 18, 'fr');
    expect($m(el, '.reports__legend-title').textContent).to.equal(fr.mapKey.title);
    expect($$m(el, '.reports__legend li').map((li) => li.textContent!.trim()).slice(0, 3)).to.deep.equal([fr.mapKey.open, fr.mapKey.fixed, fr.mapKey.closed]);
    await expect(el).to.be.accessible();
  });

  it('hides the key with the map when the list is shown', async () => {
    const el = await mapAt(SPOT.lat + 0.0003, SPOT.long, 18, 'en');
    [...$$m<HTMLButtonElement>(el, '.reports__views button')].find((b) => b.textContent === en.map.viewList)!.click();
    await el.updateComplete;
    expect($m(el, '.reports__legend').checkVisibility()).to.equal(false);
  });
});
