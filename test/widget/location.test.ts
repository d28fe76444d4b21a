/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import {
  $,
  $$,
  BAN_URL,
  choose,
  form,
  next,
  pastLocation,
  SERVER,
  stepTitle,
  type,
  type FormOptions,
} from './helpers.ts';

/** The demo city's centre (Montclair-sur-Loire), where the maps below open. */
const CENTER = { lat: 47.3941, long: 0.6848 };
const AT_CENTER = `${CENTER.lat},${CENTER.long}`;

/** A streetlight report at its location step, with the map unless `no-map`. */
async function atLocation(lang = 'en', options: FormOptions = {}): Promise<GeoReportForm> {
  const el = await form(lang, { noMap: false, center: AT_CENTER, zoom: 15, ...options });
  await choose(el, '#service-lampadaire');
  await next(el);
  return el;
}

const canvas = (el: GeoReportForm) => $(el, '.map__canvas');
const live = (el: GeoReportForm) => $(el, '.live').textContent;
const pin = (el: GeoReportForm) => el.draft.location;

/** Presses keys on the focused map as a keyboard user would. */
async function press(el: GeoReportForm, ...keys: string[]) {
  canvas(el).focus();
  for (const key of keys) await sendKeys({ press: key });
  await el.updateComplete;
}

/** A real mouse click `dx`, `dy` pixels from the map's centre. */
async function clickMap(el: GeoReportForm, dx: number, dy: number) {
  canvas(el).scrollIntoView({ block: 'center' });
  const box = canvas(el).getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [
      Math.round(box.left + box.width / 2 + dx),
      Math.round(box.top + box.height / 2 + dy),
    ],
  });
  await el.updateComplete;
}

/** Types into the address field, then waits for the suggestions to be listed (or said to be none). */
async function suggest(el: GeoReportForm, text: string): Promise<string[]> {
  await type(el, '#address', text);
  await waitUntil(
    () => $(el, '#address-count').textContent!.trim() !== '',
    `suggestions for ${text}`,
    { timeout: 3000 },
  );
  await el.updateComplete;
  return $$(el, '.suggestion').map((b) => b.textContent!.trim());
}

describe('georeport-form location step', () => {
  afterEach(() => sendMouse({ type: 'move', position: [0, 0] }));

  it('shows a map named for assistive technology, with "use my location" and the tiles’ credit', async () => {
    const el = await atLocation('en');
    const map = canvas(el);
    expect(map.getAttribute('role')).to.equal('application');
    expect(map.getAttribute('aria-label')).to.equal(en.location.map);
    expect(map.tabIndex).to.equal(0);
    expect(map.classList.contains('leaflet-container'), 'Leaflet runs in it').to.equal(true);
    expect(map.getBoundingClientRect().height).to.be.greaterThan(100);
    expect(
      $$(el, '.leaflet-control-zoom a').map((a) => a.getAttribute('aria-label')),
    ).to.deep.equal([en.location.zoomIn, en.location.zoomOut]);
    expect($$(el, 'button').map((b) => b.textContent!.trim())).to.include(
      en.location.useMyLocation,
    );
    const credit = $<HTMLAnchorElement>(el, '.map__attribution a');
    expect(credit.textContent).to.equal('© OpenStreetMap contributors');
    expect(credit.href).to.equal('https://www.openstreetmap.org/copyright');
    expect($$(el, 'style').length, 'no <style> element under a strict CSP').to.equal(0);
  });

  it('places the pin at the map’s centre with Enter, gives the draft its coordinates and says so', async () => {
    const el = await atLocation('en');
    expect(pin(el).lat).to.equal(null);
    await press(el, 'Enter');
    expect(pin(el).lat).to.be.closeTo(CENTER.lat, 1e-4);
    expect(pin(el).long).to.be.closeTo(CENTER.long, 1e-4);
    expect(live(el)).to.equal(
      en.location.pinned(pin(el).lat!.toFixed(5), pin(el).long!.toFixed(5)),
    );
    expect($(el, '.map__pin svg'), 'an SVG pin, no marker image').to.not.equal(null);
    expect($$(el, 'img.leaflet-marker-icon').length).to.equal(0);
    expect($(el, '#pin-status').textContent).to.contain('Pin placed at');
  });

  it('moves the pin with the arrow keys, announcing each move', async () => {
    const el = await atLocation('en');
    await press(el, ' ');
    const start = { ...pin(el) };
    await press(el, 'ArrowRight', 'ArrowRight');
    expect(pin(el).long).to.be.greaterThan(start.long! + 1e-4);
    expect(pin(el).lat).to.be.closeTo(start.lat!, 1e-5);
    const east = { ...pin(el) };
    await press(el, 'ArrowUp');
    expect(pin(el).lat).to.be.greaterThan(east.lat! + 1e-5);
    expect(pin(el).long).to.be.closeTo(east.long!, 1e-5);
    expect(live(el)).to.equal(
      en.location.pinned(pin(el).lat!.toFixed(5), pin(el).long!.toFixed(5)),
    );
    await press(el, 'ArrowDown', 'ArrowLeft', 'ArrowLeft');
    expect(pin(el).lat).to.be.closeTo(start.lat!, 1e-5);
    expect(pin(el).long).to.be.closeTo(start.long!, 1e-5);
  });

  it('places the pin where the map is clicked, and moves it when it is dragged', async () => {
    const el = await atLocation('en');
    await clickMap(el, 80, -40);
    expect(pin(el).long, 'east of the centre').to.be.greaterThan(CENTER.long + 1e-4);
    expect(pin(el).lat, 'north of the centre').to.be.greaterThan(CENTER.lat + 1e-5);
    expect(live(el)).to.contain('Pin placed at');
    const clicked = { ...pin(el) };
    // The pin's tip is at the bottom middle of its icon.
    const icon = $(el, '.map__pin').getBoundingClientRect();
    const [x, y] = [Math.round(icon.left + icon.width / 2), Math.round(icon.bottom - 20)];
    await sendMouse({ type: 'move', position: [x, y] });
    await sendMouse({ type: 'down' });
    for (let i = 1; i <= 5; i++)
      await sendMouse({ type: 'move', position: [x - 12 * i, y + 8 * i] });
    await sendMouse({ type: 'up' });
    await waitUntil(() => pin(el).long! < clicked.long!, 'the dragged pin is kept');
    expect(pin(el).lat, 'dragged south').to.be.lessThan(clicked.lat!);
  });

  it('keeps a restored pin on the map', async () => {
    localStorage.clear();
    localStorage.setItem(
      `georeport-draft:${SERVER}:ville.example`,
      JSON.stringify({
        step: 1,
        serviceCode: 'lampadaire',
        location: { lat: 47.3952, long: 0.6861, address: '' },
      }),
    );
    const el = await form('en', { noMap: false, center: AT_CENTER, keepDraft: true });
    expect(stepTitle(el)).to.equal(en.steps.location);
    expect($(el, '.map__pin')).to.not.equal(null);
    expect($(el, '#pin-status').textContent).to.equal(en.location.pinned('47.39520', '0.68610'));
  });

  it('with no-map, has no map at all and completes the location by address', async () => {
    const el = await atLocation('fr', { noMap: true });
    expect($(el, '.map__canvas')).to.equal(null);
    expect($(el, '.map')).to.equal(null);
    await type(el, '#address', 'Devant la mairie');
    await next(el);
    expect(stepTitle(el)).to.equal('Détails');
    expect(pin(el)).to.deep.equal({ lat: null, long: null, address: 'Devant la mairie' });
  });

  it('says when the device’s location cannot be found, and the address still works', async () => {
    const el = await atLocation('en');
    const button = $$<HTMLButtonElement>(el, 'button').find(
      (b) => b.textContent!.trim() === en.location.useMyLocation,
    )!;
    button.click();
    await waitUntil(
      () => $(el, '#locate-error'),
      'the geolocation fails (headless Chromium refuses it)',
      { timeout: 8000 },
    );
    expect($(el, '#locate-error').textContent).to.equal(en.location.geolocationFailed);
    expect($(el, '#locate-error').getAttribute('role')).to.equal('alert');
    expect(pin(el).lat).to.equal(null);
    await type(el, '#address', '12 rue Nationale');
    await next(el);
    expect(stepTitle(el)).to.equal(en.steps.details);
  });

  it('passes axe with the map, a pin and address suggestions shown', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL });
    await expect(el).to.be.accessible();
    await press(el, 'Enter');
    expect(await suggest(el, 'rue nationale')).to.not.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});

describe('georeport-form address suggestions (a Base Adresse Nationale stand-in)', () => {
  it('lists the addresses the geocoder finds as the resident types, and says how many', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL });
    await type(el, '#address', '12');
    await new Promise((r) => setTimeout(r, 400));
    expect($$(el, '.suggestion'), 'two characters are not looked up').to.deep.equal([]);
    const found = await suggest(el, '12 rue nation');
    expect(found[0]).to.equal('12 Rue Nationale 37000 Montclair-sur-Loire');
    expect(found.length).to.be.within(1, 5);
    expect($(el, '#address-count').textContent).to.match(/adresses? proposées? sous le champ/);
    expect($(el, '#suggestions-title').textContent).to.equal('Adresses proposées');
  });

  it('fills the address and the coordinates from the suggestion chosen, and moves the pin there', async () => {
    const el = await atLocation('en', { geocoderUrl: BAN_URL });
    await press(el, 'Enter');
    await suggest(el, 'quai du port');
    $$<HTMLButtonElement>(el, '.suggestion')
      .find((b) => b.textContent!.startsWith('Quai du Port'))!
      .click();
    await el.updateComplete;
    expect(pin(el)).to.deep.equal({
      lat: 47.3975,
      long: 0.679,
      address: 'Quai du Port 37000 Montclair-sur-Loire',
    });
    expect($<HTMLInputElement>(el, '#address').value).to.equal(
      'Quai du Port 37000 Montclair-sur-Loire',
    );
    expect($$(el, '.suggestion'), 'the list closes').to.deep.equal([]);
    expect(live(el)).to.equal(en.place.pinnedAt('Quai du Port 37000 Montclair-sur-Loire'));
    expect($(el, '#pin-status').textContent).to.equal(live(el));
    await waitUntil(
      () => el.shadowRoot!.activeElement === $(el, '#address'),
      'focus goes back to the field',
    );
    await pastLocation(el);
    expect(stepTitle(el)).to.equal(en.steps.details);
  });

  it('is operable by keyboard: ArrowDown into the list, Enter to choose, Escape to close', async () => {
    const el = await atLocation('en', { geocoderUrl: BAN_URL, noMap: true });
    await suggest(el, 'rue colbert');
    $(el, '#address').focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement).to.equal($$(el, '.suggestion')[0]);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect($$(el, '.suggestion')).to.deep.equal([]);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#address'));
    await suggest(el, 'rue colbert');
    $(el, '#address').focus();
    await sendKeys({ press: 'ArrowDown' });
    const labels = $$(el, '.suggestion').map((b) => b.textContent!.trim());
    if (labels.length > 1) {
      await sendKeys({ press: 'ArrowDown' });
      expect(el.shadowRoot!.activeElement).to.equal($$(el, '.suggestion')[1]);
      await sendKeys({ press: 'ArrowUp' });
    }
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(pin(el).address).to.equal(labels[0]);
    expect(pin(el).lat).to.be.a('number');
  });

  it('keeps what was typed when nothing matches, and sends it as the address', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL });
    expect(await suggest(el, 'Devant boulangerie')).to.deep.equal([]);
    expect($(el, '#address-count').textContent).to.contain('Aucune adresse proposée');
    await next(el);
    expect(stepTitle(el)).to.equal('Détails');
    expect(pin(el)).to.deep.equal({ lat: null, long: null, address: 'Devant boulangerie' });
  });

  it('says so when the geocoder cannot be reached, and the typed address still goes', async () => {
    const el = await atLocation('en', { geocoderUrl: 'http://127.0.0.1:9/', noMap: true });
    await suggest(el, '12 rue Nationale');
    expect($(el, '#address-count').textContent).to.equal(en.location.suggestionsFailed);
    await next(el);
    expect(stepTitle(el)).to.equal(en.steps.details);
  });

  it('suggests nothing without a geocoder-url: the field is free text only', async () => {
    const el = await atLocation('en');
    await type(el, '#address', '12 rue Nationale');
    await new Promise((r) => setTimeout(r, 400));
    expect($(el, '#address-count')).to.equal(null);
    expect($$(el, '.suggestion')).to.deep.equal([]);
  });
});

/** 12 Rue Nationale in the demo addresses, and a pin about 15 m from it. */
const NUMBER_12 = '12 Rue Nationale 37000 Montclair-sur-Loire';
const BY_NUMBER_12 = '47.3953,0.6862';

/** Moves the pin `times` big steps (Shift + arrow: 100 px) with the keyboard. */
async function leap(el: GeoReportForm, key: 'ArrowUp' | 'ArrowDown', times: number) {
  canvas(el).focus();
  await sendKeys({ down: 'Shift' });
  for (let i = 0; i < times; i++) await sendKeys({ press: key });
  await sendKeys({ up: 'Shift' });
  await el.updateComplete;
}

/** Waits until the pin's status line says `text`, and returns the address field's value then. */
async function pinSays(el: GeoReportForm, text: string): Promise<string> {
  await waitUntil(() => $(el, '#pin-status')?.textContent === text, `the pin is told as “${text}”`, { timeout: 3000 });
  await el.updateComplete;
  return $<HTMLInputElement>(el, '#address').value;
}

describe('georeport-form tells the pin by the address near it (BAN /reverse/ stand-in)', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('in French: “Près du 12 Rue Nationale” under the map and in the empty address field, not coordinates', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL, center: BY_NUMBER_12, zoom: 17 });
    await press(el, 'Enter');
    expect(await pinSays(el, `Repère placé près du ${NUMBER_12}.`)).to.equal(`Près du ${NUMBER_12}`);
    expect(pin(el).address).to.equal(`Près du ${NUMBER_12}`, 'what is sent says it is near, not at');
    expect(live(el), 'announced').to.equal(`Repère placé près du ${NUMBER_12}.`);
    expect($(el, '#pin-status').textContent).to.not.match(/\d+\.\d{5}/);
    await expect(el).to.be.accessible();
  });

  it('in English: “Pin placed near 12 Rue Nationale”', async () => {
    const el = await atLocation('en', { geocoderUrl: BAN_URL, center: BY_NUMBER_12, zoom: 17 });
    await press(el, 'Enter');
    expect(await pinSays(el, en.place.pinnedNear(NUMBER_12, true))).to.equal(`Near ${NUMBER_12}`);
  });

  it('keeps pin and address in step: moving the pin replaces the address it gave, never what the resident wrote', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL, center: BY_NUMBER_12, zoom: 17 });
    await press(el, 'Enter');
    await pinSays(el, `Repère placé près du ${NUMBER_12}.`);
    // About 240 m north, the nearest known place is the street itself (no number there).
    await leap(el, 'ArrowUp', 3);
    const street = 'Rue Nationale 37000 Montclair-sur-Loire';
    expect(await pinSays(el, `Repère placé près de ${street}.`)).to.equal(`Près de ${street}`);
    await type(el, '#address', 'Devant la boulangerie');
    await leap(el, 'ArrowDown', 3);
    expect(await pinSays(el, `Repère placé près du ${NUMBER_12}.`)).to.equal('Devant la boulangerie');
  });

  it('moves the pin to the address chosen, then follows the pin again once it is moved off it', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL, zoom: 17 });
    await suggest(el, '12 rue nationale');
    $$<HTMLButtonElement>(el, '.suggestion').find((b) => b.textContent === NUMBER_12)!.click();
    await el.updateComplete;
    expect([pin(el).lat, pin(el).long, pin(el).address]).to.deep.equal([47.3952, 0.6861, NUMBER_12]);
    expect($(el, '#pin-status').textContent).to.equal(fr.place.pinnedAt(NUMBER_12));
    await leap(el, 'ArrowUp', 3);
    expect(await pinSays(el, 'Repère placé près de Rue Nationale 37000 Montclair-sur-Loire.')).to.equal('Près de Rue Nationale 37000 Montclair-sur-Loire');
  });

  it('says when no address is near, or when none could be looked up, and the pin is enough', async () => {
    const far = await atLocation('fr', { geocoderUrl: BAN_URL, center: '47.41,0.72', zoom: 17 });
    await press(far, 'Enter');
    expect(await pinSays(far, fr.place.noneNear(200))).to.equal('', 'the field stays empty');
    await expect(far).to.be.accessible();
    await pastLocation(far);
    expect(stepTitle(far)).to.equal('Détails');

    const down = await atLocation('en', { geocoderUrl: 'http://127.0.0.1:9/', center: BY_NUMBER_12, zoom: 17 });
    await press(down, 'Enter');
    expect(await pinSays(down, en.place.failed)).to.equal('');
  });

  it('tells the pin by its coordinates with a site’s own geocoder that cannot look a point up', async () => {
    const el = await atLocation('en', { center: BY_NUMBER_12, zoom: 17 });
    el.geocoder = { search: async () => [] };
    await el.updateComplete;
    await press(el, 'Enter');
    expect($(el, '#pin-status').textContent).to.equal(en.location.pinned(pin(el).lat!.toFixed(5), pin(el).long!.toFixed(5)));
    expect(pin(el).address).to.equal('');
  });

  it('clears the stale “give an address or place the pin” once the pin is placed', async () => {
    const el = await atLocation('fr', { geocoderUrl: BAN_URL, center: BY_NUMBER_12, zoom: 17 });
    await next(el);
    expect($(el, '#address-error').textContent).to.equal(fr.location.choose);
    expect($(el, '.summary').textContent).to.equal(fr.fixErrors(1));
    await press(el, 'Enter');
    // Compared as text, so a failure prints what is still shown.
    expect($(el, '#address-error')?.textContent ?? null, 'the field’s error is gone').to.equal(null);
    expect($(el, '.summary')?.textContent ?? null, 'and so is the summary').to.equal(null);
    expect($(el, '#address').getAttribute('aria-invalid')).to.equal(null);
    await pinSays(el, `Repère placé près du ${NUMBER_12}.`);
    await pastLocation(el);
    expect(stepTitle(el)).to.equal('Détails');
  });

  it('on a 390 px phone, puts the address search above the map, its suggestions too', async () => {
    await setViewport({ width: 390, height: 844 });
    const el = await atLocation('fr', { geocoderUrl: BAN_URL });
    expect(await suggest(el, 'rue nationale')).to.not.deep.equal([]);
    const field = $(el, '#address').getBoundingClientRect();
    const list = $(el, '#address-suggestions').getBoundingClientRect();
    const map = canvas(el).getBoundingClientRect();
    expect(field.bottom, 'the field above the map').to.be.at.most(map.top);
    expect(list.bottom, 'the suggestions above the map').to.be.at.most(map.top);
    expect(field.width).to.be.at.most(390);
    expect(document.documentElement.scrollWidth, 'nothing scrolls sideways').to.be.at.most(390);
    await expect(el).to.be.accessible();
  });

  it('with no-map, the chosen address places the pin and says so; the field is still free text', async () => {
    const el = await atLocation('en', { geocoderUrl: BAN_URL, noMap: true });
    expect($(el, '#pin-status')?.textContent ?? null).to.equal(null);
    await suggest(el, 'quai du port');
    $<HTMLButtonElement>(el, '.suggestion').click();
    await el.updateComplete;
    expect($(el, '#pin-status').textContent).to.equal(en.place.pinnedAt('Quai du Port 37000 Montclair-sur-Loire'));
    await type(el, '#address', 'Behind the market hall');
    await pastLocation(el);
    expect(pin(el)).to.deep.equal({ lat: 47.3975, long: 0.679, address: 'Behind the market hall' });
  });
});

describe('georeport-widget map attributes', () => {
  it('passes center, zoom, tile-url, attribution, geocoder-url and no-map on to its form', async () => {
    const widget = await fixture(
      html`<georeport-widget
        server=${SERVER}
        center="47.39,0.68"
        zoom="12"
        tile-url="/tiles/{z}/{x}/{y}.png"
        attribution="Tiles: the city"
        geocoder-url=${BAN_URL}
        no-map
      ></georeport-widget>`,
    );
    const inner = widget.shadowRoot!.querySelector('georeport-form')!;
    await inner.updateComplete;
    expect([
      inner.center,
      inner.zoom,
      inner.tileUrl,
      inner.attribution,
      inner.geocoderUrl,
      inner.noMap,
    ]).to.deep.equal([
      '47.39,0.68',
      12,
      '/tiles/{z}/{x}/{y}.png',
      'Tiles: the city',
      BAN_URL,
      true,
    ]);
  });
});
