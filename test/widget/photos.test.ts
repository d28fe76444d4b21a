/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { readGps } from '../../widget/report-form/exif-gps.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import { keptPhotos } from '../../widget/report-form/photo-store.ts';
import { $, $$, answerStreetlight, focused, form, next, publicRequest, send, SERVER, stepTitle, toDetails, type FormOptions } from './helpers.ts';

/** An image drawn in the browser, as a file the resident could pick. */
async function drawn(width: number, height: number, type = 'image/png'): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#2a7';
  g.fillRect(0, 0, width, height);
  g.fillStyle = '#c33';
  g.fillRect(0, 0, width / 2, height / 2);
  return new File([await canvas.convertToBlob({ type })], `drawn-${width}x${height}.${type === 'image/png' ? 'png' : 'jpg'}`, { type });
}

/** A photo from test/fixtures/photos, served by the test runner (taken in Tours: 47.3941, 0.6848). */
async function fixturePhoto(name = 'gps-tours.jpg'): Promise<File> {
  const res = await fetch(`/test/fixtures/photos/${name}`);
  return new File([await res.blob()], name, { type: 'image/jpeg' });
}

/** A little-endian EXIF APP1 segment carrying a GPS position given in degrees, minutes and seconds×100. */
function exifGps(lat: [number, number, number, 'N' | 'S'], long: [number, number, number, 'E' | 'W']): Uint8Array<ArrayBuffer> {
  const tiff = new DataView(new ArrayBuffer(128));
  const u16 = (o: number, v: number) => tiff.setUint16(o, v, true);
  const u32 = (o: number, v: number) => tiff.setUint32(o, v, true);
  const entry = (o: number, tag: number, type: number, count: number, value: number) => {
    u16(o, tag);
    u16(o + 2, type);
    u32(o + 4, count);
    u32(o + 8, value);
  };
  u16(0, 0x4949); // "II": little-endian
  u16(2, 42);
  u32(4, 8); // IFD0
  u16(8, 1);
  entry(10, 0x8825, 4, 1, 26); // the GPS IFD's offset
  u16(26, 4);
  entry(28, 1, 2, 2, lat[3].charCodeAt(0));
  entry(40, 2, 5, 3, 80);
  entry(52, 3, 2, 2, long[3].charCodeAt(0));
  entry(64, 4, 5, 3, 104);
  [lat[0], lat[1], lat[2], long[0], long[1], long[2]].forEach((n, i) => {
    u32(80 + i * 8, n);
    u32(84 + i * 8, i % 3 === 2 ? 100 : 1);
  });
  const body = [...new TextEncoder().encode('Exif\0\0'), ...new Uint8Array(tiff.buffer)];
  return new Uint8Array([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]);
}

/** A JPEG drawn in the browser with an EXIF GPS segment put in after its start marker. */
async function withGps(image: File, exif: Uint8Array<ArrayBuffer>): Promise<File> {
  const bytes = new Uint8Array(await image.arrayBuffer());
  return new File([bytes.slice(0, 2), exif, bytes.slice(2)], 'gps.jpg', { type: 'image/jpeg' });
}

const hasExif = async (blob: Blob) => new TextDecoder('latin1').decode(await blob.arrayBuffer()).includes('Exif');

/** Picks files in the photo input, as the file chooser does. */
async function pick(el: GeoReportForm, ...files: File[]) {
  const input = $<HTMLInputElement>(el, '#photos');
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function toPhotos(options: FormOptions = {}, lang = 'fr'): Promise<GeoReportForm> {
  const el = await form(lang, options);
  await toDetails(el);
  await answerStreetlight(el);
  await next(el);
  return el;
}

describe('georeport-form photos step', () => {
  it('reads the GPS position of a JPEG in either byte order, and nothing from other files', async () => {
    expect(await readGps(await fixturePhoto())).to.deep.equal({ lat: 47.3941, long: 0.6848 });
    expect(await readGps(await fixturePhoto('gps-south-west.jpg'))).to.deep.equal({ lat: -22.9068, long: -43.1729 });
    const santiago = exifGps([33, 51, 2448, 'S'], [70, 39, 0, 'W']);
    expect(await readGps(new Blob([new Uint8Array([0xff, 0xd8]), santiago, new Uint8Array([0xff, 0xd9])]))).to.deep.equal({ lat: -33.8568, long: -70.65 });
    expect(await readGps(await fixturePhoto('gps-null-island.jpg'))).to.equal(null, '0, 0 is a camera without a fix');
    expect(await readGps(await fixturePhoto('orientation-6.jpg'))).to.equal(null);
    expect(await readGps(await drawn(20, 20))).to.equal(null);
    expect(await readGps(new Blob([new Uint8Array([0xff, 0xd8]), santiago.slice(0, 40)]))).to.equal(null, 'truncated');
  });

  it('prepares each photo: a preview canvas, at most 2048 px, no metadata left', async () => {
    const el = await toPhotos();
    expect(stepTitle(el)).to.equal('Photos');
    const big = await withGps(await drawn(3000, 1500, 'image/jpeg'), exifGps([47, 23, 3876, 'N'], [0, 41, 528, 'E']));
    expect(await hasExif(big)).to.equal(true, 'the original carries EXIF');
    await pick(el, big, await drawn(400, 300));
    await waitUntil(() => el.photos.length === 2, 'the photos are prepared');
    await el.updateComplete;

    expect(el.photos.map((p) => [p.width, p.height])).to.deep.equal([[2048, 1024], [400, 300]]);
    for (const photo of el.photos) {
      expect(photo.blob.type).to.equal('image/jpeg');
      expect(await hasExif(photo.blob)).to.equal(false, 'the uploaded photo has no EXIF');
      const decoded = await createImageBitmap(photo.blob);
      expect(Math.max(decoded.width, decoded.height)).to.be.at.most(2048);
    }
    expect(el.photos[0]!.gps).to.deep.equal({ lat: 47.3941, long: 0.6848 });

    const previews = $$<HTMLCanvasElement>(el, '.photos canvas');
    expect(previews.map((c) => c.getAttribute('aria-label'))).to.deep.equal(['Photo 1', 'Photo 2']);
    expect([previews[0]!.width, previews[0]!.height]).to.deep.equal([160, 80]);
    const [r, g, b] = previews[0]!.getContext('2d')!.getImageData(10, 10, 1, 1).data;
    expect(r! > 150 && g! < 100 && b! < 100, 'the preview shows the image').to.equal(true);

    $$<HTMLButtonElement>(el, '.photos button')[0]!.click();
    await el.updateComplete;
    expect(el.photos.map((p) => p.width)).to.deep.equal([400]);
    expect($$(el, '.photos button')[0]!.textContent).to.equal('Retirer la photo 1');
  });

  it('takes no more than max-photos, and refuses a file that is not an image, saying why', async () => {
    const el = await toPhotos({ maxPhotos: 2 });
    expect($(el, '#photos-hint').textContent).to.contain('Jusqu’à 2 photos');
    await pick(el, await drawn(50, 50), await drawn(60, 60), await drawn(70, 70));
    await waitUntil(() => el.photos.length === 2, 'the two taken are prepared');
    await el.updateComplete;
    expect(el.photos.map((p) => p.width)).to.deep.equal([50, 60]);
    expect($(el, '#photos-error').textContent).to.equal('2 photos au plus.');
    expect($<HTMLInputElement>(el, '#photos').disabled).to.equal(true);

    $$<HTMLButtonElement>(el, '.photos button')[1]!.click();
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '#photos').disabled).to.equal(false);
    await pick(el, new File(['not a photo'], 'notes.txt', { type: 'text/plain' }));
    await waitUntil(() => $(el, '#photos-error')?.textContent === 'notes.txt n’est pas une photo lisible.', 'the file is refused');
    expect($(el, '#photos-error').getAttribute('role')).to.equal('alert');
    expect($(el, '#photos').getAttribute('aria-describedby')).to.equal('photos-hint photos-error');
    expect(el.photos).to.have.length(1);
  });

  it('places the report where the photo was taken when no pin was set, and uploads the photo', async () => {
    const el = await toPhotos();
    await pick(el, await fixturePhoto());
    await waitUntil(() => el.photos.length === 1, 'the photo is prepared');
    await next(el);
    await next(el); // anonymous
    const answers = $$(el, '.review-value').map((dd) => dd.textContent!.trim());
    expect(answers[1]).to.equal('12 rue NationaleRepère placé en 47.39410, 0.68480.', 'the address typed, and where the photo put the pin');
    expect(answers[3]).to.equal('1', 'one photo');
    const id = await send(el);
    const published = await publicRequest(id);
    expect([published.lat, published.long]).to.deep.equal([47.3941, 0.6848]);
    expect(published.media_url).to.match(/^http:\/\/[^/]+\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.(jpg|webp)$/);
    expect(published.extended_attributes.media_urls).to.deep.equal([published.media_url]);
    const img = new Image();
    img.src = published.media_url as string;
    await img.decode();
    expect(img.naturalWidth).to.be.greaterThan(0);
  });

  it('keeps a pin already set, and offers the photo’s place instead of imposing it', async () => {
    localStorage.clear();
    const pinned = { serviceCode: 'lampadaire', step: 3, location: { lat: 47.39, long: 0.69, address: '' }, attributes: { nombre: ['1'], panne: ['eteint'] } };
    localStorage.setItem(`georeport-draft:${window.GEOREPORT_SERVER}:ville.example`, JSON.stringify(pinned));
    const el = await form('fr', { keepDraft: true });
    expect(stepTitle(el)).to.equal('Photos');
    await pick(el, await fixturePhoto());
    await waitUntil(() => el.photos.length === 1, 'the photo is prepared');
    expect(el.draft.location).to.deep.equal({ lat: 47.39, long: 0.69, address: '' });
    await el.updateComplete;
    expect($(el, '#photo-place').textContent).to.equal('Votre photo a été prise ici. Utiliser cet endroit ?');
    $<HTMLButtonElement>(el, '[aria-describedby=photo-place]').click();
    await el.updateComplete;
    expect(el.draft.location).to.deep.equal({ lat: 47.3941, long: 0.6848, address: '' });
    expect(el.shadowRoot!.querySelector('#photo-place')).to.equal(null, 'once taken, the offer is gone');
  });
});

/** The key the form keeps its draft (and its photos) under. */
const DRAFT_KEY = `georeport-draft:${SERVER}:ville.example`;

/** Text of an element of the form, or null: compared as text, a failure prints what is shown. */
const text = (el: GeoReportForm, selector: string) => el.shadowRoot!.querySelector(selector)?.textContent?.trim() ?? null;

describe('georeport-form photos on a phone and a desktop', () => {
  it('shows a large photo’s progress while it is prepared, with no stale error meanwhile, then says it is ready', async () => {
    const el = await toPhotos();
    await pick(el, new File(['not a photo'], 'notes.txt', { type: 'text/plain' }));
    await waitUntil(() => text(el, '#photos-error') === 'notes.txt n’est pas une photo lisible.', 'the text file is refused');
    // 27 megapixels, as a phone's camera takes them.
    const big = new File([await drawn(6000, 4500, 'image/jpeg')], 'IMG_2712.jpg', { type: 'image/jpeg' });
    await pick(el, big);
    await el.updateComplete;
    expect(text(el, '#photos-error'), 'the last choice’s error is gone at once').to.equal(null);
    expect(text(el, '.photos__pending span')).to.equal('Préparation de IMG_2712.jpg…');
    const bar = $<HTMLProgressElement>(el, '.photos__pending progress');
    expect(bar.max).to.equal(4);
    expect(bar.getAttribute('aria-labelledby')).to.equal($(el, '.photos__pending span').id);
    await expect(el).to.be.accessible();
    expect(bar.value).to.be.within(0, 4);
    await waitUntil(() => el.photos.length === 1, 'the photo is ready', { timeout: 20000 });
    await el.updateComplete;
    expect([el.photos[0]!.width, el.photos[0]!.height]).to.deep.equal([2048, 1536]);
    expect(text(el, '.photos__pending span')).to.equal(null);
    expect(text(el, '#photos-status')).to.equal('Photo 1 prête.');
  });

  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('says plainly why a photo was refused: too big, not an image, too many, in French and in English', async () => {
    await setViewport({ width: 320, height: 640 });
    const huge = () => new File([new Uint8Array(41 * 1024 * 1024)], 'enorme.jpg', { type: 'image/jpeg' });
    const frForm = await toPhotos({ maxPhotos: 1 });
    await pick(frForm, huge());
    await waitUntil(() => text(frForm, '#photos-error') !== null, 'the refusal is shown');
    expect(text(frForm, '#photos-error')).to.equal(fr.photoPicker.tooBig('enorme.jpg', 40));
    expect(text(frForm, '#photos-error')).to.equal('enorme.jpg est trop lourde (plus de 40 Mo) : choisissez une photo plus petite.');
    await expect(frForm).to.be.accessible();
    expect(document.documentElement.scrollWidth, 'nothing scrolls sideways at 320 px').to.be.at.most(320);

    const enForm = await toPhotos({ maxPhotos: 1 }, 'en');
    await pick(enForm, huge());
    await waitUntil(() => text(enForm, '#photos-error') !== null, 'the refusal is shown');
    expect(text(enForm, '#photos-error')).to.equal('enorme.jpg is too large (over 40 MB): choose a smaller photo.');
    await pick(enForm, new File(['x'], 'notes.txt', { type: 'text/plain' }));
    await waitUntil(() => text(enForm, '#photos-error') === en.photos.notImage('notes.txt'), 'not an image');
    await pick(enForm, await drawn(40, 40), await drawn(50, 50));
    await waitUntil(() => enForm.photos.length === 1, 'the one that fits is taken');
    await enForm.updateComplete;
    expect(text(enForm, '#photos-error')).to.equal(en.photos.tooMany(1));
  });

  it('removes a photo, says so, and moves focus to the next photo’s button', async () => {
    const el = await toPhotos();
    await pick(el, await drawn(40, 40), await drawn(50, 50), await drawn(60, 60));
    await waitUntil(() => el.photos.length === 3, 'the photos are prepared');
    await el.updateComplete;
    $$<HTMLButtonElement>(el, '.photos__remove')[1]!.click();
    await el.updateComplete;
    expect(el.photos.map((p) => p.width)).to.deep.equal([40, 60]);
    expect(text(el, '#photos-status')).to.equal('Photo 2 retirée.');
    await waitUntil(() => el.shadowRoot!.activeElement === $$(el, '.photos__remove')[1], `focus on the next photo’s button (now ${focused(el)})`);
    expect($$(el, '.photos__remove').map((b) => b.textContent)).to.deep.equal(['Retirer la photo 1', 'Retirer la photo 2']);
  });

  it('takes photos dropped on the zone; the chooser stays a labelled file input reached by keyboard', async () => {
    const el = await toPhotos();
    const zone = $(el, '.dropzone');
    const transfer = new DataTransfer();
    transfer.items.add(await drawn(80, 60));
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    expect(zone.classList.contains('dropzone--over')).to.equal(true);
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await waitUntil(() => el.photos.length === 1, 'the dropped photo is prepared');
    expect(zone.classList.contains('dropzone--over')).to.equal(false);
    expect(text(el, '.dropzone legend')).to.equal('Ajouter des photos');

    const chooser = $<HTMLInputElement>(el, '#photos');
    expect([chooser.type, chooser.accept, chooser.multiple, chooser.hasAttribute('capture')]).to.deep.equal(['file', 'image/*', true, false]);
    expect(text(el, 'label[for=photos]')).to.equal('Choisir des photos');
    const camera = $<HTMLInputElement>(el, '#photos-camera');
    expect([camera.accept, camera.getAttribute('capture'), camera.multiple]).to.deep.equal(['image/*', 'environment', false]);
    expect(text(el, 'label[for=photos-camera]')).to.equal('Prendre une photo');
    expect(getComputedStyle(camera.parentElement!).display, 'no camera button with a mouse').to.equal('none');
    // Tab from the step's heading reaches the chooser (the camera's is not shown with a mouse).
    $(el, '#step-title').focus();
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal('#photos');
    expect(getComputedStyle($(el, 'label[for=photos]')).outlineStyle, 'its focus shows on its label').to.equal('solid');
    await expect(el).to.be.accessible();
  });

  it('keeps the photos across a reload, and forgets them once the report is sent', async () => {
    const el = await toPhotos();
    await pick(el, await drawn(120, 90), await drawn(90, 120));
    await waitUntil(() => el.photos.length === 2, 'the photos are prepared');
    await waitUntil(async () => (await keptPhotos(DRAFT_KEY)).length === 2, 'the photos are kept');
    el.parentElement!.remove();

    const again = await form('fr', { keepDraft: true });
    expect(stepTitle(again)).to.equal('Photos');
    await waitUntil(() => again.photos.length === 2, 'the photos come back');
    await again.updateComplete;
    expect(again.photos.map((p) => [p.width, p.height])).to.deep.equal([[120, 90], [90, 120]]);
    expect(text(again, '#photos-notice')).to.equal('Vos 2 photos ont été gardées.');
    expect($$<HTMLCanvasElement>(again, '.photos canvas').map((c) => c.width)).to.deep.equal([120, 90]);
    await expect(again).to.be.accessible();
    await next(again);
    await next(again); // anonymous
    const id = await send(again);
    expect((await publicRequest(id)).extended_attributes.media_urls).to.have.length(2);
    expect(await keptPhotos(DRAFT_KEY)).to.deep.equal([]);
  });

  it('tells the resident plainly when photos could not be kept, so they add them again', async () => {
    localStorage.clear();
    const draft = { serviceCode: 'lampadaire', step: 3, location: { lat: 47.39, long: 0.69, address: '' }, attributes: { nombre: ['1'], panne: ['eteint'] }, photos: 2 };
    localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
    const el = await form('fr', { keepDraft: true });
    await waitUntil(() => text(el, '#photos-notice') !== null, 'the loss is told');
    expect(text(el, '#photos-notice')).to.equal('2 de vos photos n’ont pas pu être gardées sur cet appareil : ajoutez-les à nouveau.');
    expect(text(el, '.live')).to.equal(`${fr.draft.restored} ${fr.photoPicker.lost(2)}`);
    await expect(el).to.be.accessible();
    await pick(el, await drawn(40, 40));
    await waitUntil(() => el.photos.length === 1, 'a photo is added again');
    await el.updateComplete;
    expect(text(el, '#photos-notice'), 'the notice goes once photos are added again').to.equal(null);
  });
});
