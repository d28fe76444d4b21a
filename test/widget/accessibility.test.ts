/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { $, answerStreetlight, choose, form, next, send, settled, toDetails, type } from './helpers.ts';

/** Checks the form with axe-core; the label says which state failed. */
async function audit(el: GeoReportForm, state: string) {
  await el.updateComplete;
  try {
    await expect(el).to.be.accessible();
  } catch (e) {
    throw new Error(`${state}: ${(e as Error).message}`);
  }
}

async function pick(el: GeoReportForm, ...files: File[]) {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  const input = $<HTMLInputElement>(el, '#photos');
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function png(): Promise<File> {
  const canvas = new OffscreenCanvas(120, 90);
  canvas.getContext('2d')!.fillRect(0, 0, 60, 45);
  return new File([await canvas.convertToBlob()], 'photo.png', { type: 'image/png' });
}

describe('georeport-form accessibility (axe-core, no violation allowed)', () => {
  it('passes at every step, with and without errors, and on the result', async () => {
    const el = await form('fr');
    await audit(el, 'category');
    await next(el);
    await audit(el, 'category, no choice');
    await type(el, '#search', 'zzzz');
    await audit(el, 'category, no match');
    await type(el, '#search', '');
    await choose(el, '#service-lampadaire');
    await next(el);
    await audit(el, 'location');
    await next(el);
    await audit(el, 'location, no address');
    await type(el, '#address', '12 rue Nationale');
    await next(el);
    await waitUntil(() => el.definition.length > 0, 'the attributes load');
    await audit(el, 'details');
    await type(el, '#attr-nombre', 'x');
    await type(el, '#description', 'x'.repeat(4001));
    await next(el);
    await audit(el, 'details, errors');
    await type(el, '#description', '');
    await answerStreetlight(el);
    await next(el);
    await audit(el, 'photos');
    await pick(el, await png(), new File(['text'], 'notes.txt', { type: 'text/plain' }));
    await waitUntil(() => el.photos.length === 1 && $(el, '#photos-error'), 'the photo and the refusal');
    await audit(el, 'photos, a preview and a refusal');
    await next(el);
    await audit(el, 'contact');
    await choose(el, 'input[name=mode][value=organisation]');
    await type(el, '#email', 'jeanne@');
    await next(el);
    await audit(el, 'contact, errors');
    await choose(el, 'input[name=mode][value=anonymous]');
    await next(el);
    await audit(el, 'review');
    await send(el);
    await audit(el, 'result');
  });

  it('passes with contact-required and its error, and with a failure message', async () => {
    const realFetch = window.fetch;
    window.fetch = (input, init) => (init?.method === 'POST' ? Promise.reject(new TypeError('offline')) : realFetch(input, init));
    try {
      const el = await form('en', { contactRequired: true });
      await toDetails(el);
      await answerStreetlight(el);
      await next(el);
      await next(el);
      await next(el);
      await audit(el, 'contact required, none chosen');
      await choose(el, 'input[name=mode][value=person]');
      await choose(el, '#consent');
      await next(el);
      await next(el);
      await settled(el);
      expect($(el, '#failure')).not.to.equal(null);
      await audit(el, 'review, network failure');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('passes when the catalogue cannot be loaded', async () => {
    const el = await form('en', { server: 'http://127.0.0.1:9/' });
    expect(el.catalogue).to.equal('failed');
    await audit(el, 'catalogue failed');
  });
});
