/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { readGps } from '../../widget/report-form/exif-gps.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { $, $$, answerStreetlight, form, next, publicRequest, send, stepTitle, toDetails, type FormOptions } from './helpers.ts';

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

async function toPhotos(options: FormOptions = {}): Promise<GeoReportForm> {
  const el = await form('fr', options);
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
    await waitUntil(() => $(el, '#photos-error'), 'the refusal is shown');
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
    expect(answers[1]).to.equal('12 rue Nationale — 47.39410, 0.68480');
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
