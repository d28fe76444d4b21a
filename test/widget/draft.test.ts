/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { $, $$, answerStreetlight, choose, form, next, SERVER, stepTitle, toDetails, type } from './helpers.ts';

const DRAFT_KEY = `georeport-draft:${SERVER}:ville.example`;
const checked = (el: Awaited<ReturnType<typeof form>>, name: string) =>
  $$<HTMLInputElement>(el, `input[name=${name}]`).filter((i) => i.checked).map((i) => i.value);

/** Opens the form on whatever local storage holds for it. */
async function reopen(saved: string | null) {
  localStorage.clear();
  if (saved !== null) localStorage.setItem(DRAFT_KEY, saved);
  return form('fr', { keepDraft: true });
}

describe('georeport-form draft', () => {
  it('restores the step, the answers and the contact details once the page is opened again', async () => {
    const first = await form('fr');
    await toDetails(first, 'lampadaire', 'Quai du Port');
    await answerStreetlight(first);
    await type(first, '#attr-nombre', '2,5');
    await choose(first, 'input[name=attr-lieu][value=carrefour]');
    await choose(first, 'input[name=attr-lieu][value=ecole]');
    await type(first, '#description', 'Tout le quai est noir');
    await next(first);
    await next(first);
    await choose(first, 'input[name=mode][value=person]');
    await type(first, '#firstName', 'Jeanne');
    await type(first, '#email', 'jeanne@example.fr');
    await choose(first, '#consent');
    const saved = localStorage.getItem(DRAFT_KEY);
    first.remove();

    const again = await reopen(saved);
    expect(stepTitle(again)).to.equal('Vous');
    expect($(again, '.live').textContent).to.equal('Votre signalement non terminé a été restauré.');
    expect(checked(again, 'mode')).to.deep.equal(['person']);
    expect($<HTMLInputElement>(again, '#firstName').value).to.equal('Jeanne');
    expect($<HTMLInputElement>(again, '#email').value).to.equal('jeanne@example.fr');
    expect($<HTMLInputElement>(again, '#consent').checked).to.equal(true);
    await waitUntil(() => again.definition.length > 0, 'the attributes load');
    $<HTMLButtonElement>(again, '.nav button.secondary').click(); // back to photos
    await again.updateComplete;
    $<HTMLButtonElement>(again, '.nav button.secondary').click(); // back to details
    await again.updateComplete;
    expect(stepTitle(again)).to.equal('Détails');
    expect($<HTMLInputElement>(again, '#attr-nombre').value).to.equal('2,5');
    expect(checked(again, 'attr-panne')).to.deep.equal(['eteint']);
    expect(checked(again, 'attr-lieu')).to.deep.equal(['carrefour', 'ecole']);
    expect($<HTMLTextAreaElement>(again, '#description').value).to.equal('Tout le quai est noir');
  });

  it('starts over on request: the draft is gone, from the form and from storage', async () => {
    const el = await form('fr');
    await toDetails(el);
    await type(el, '#description', 'à oublier');
    expect(localStorage.getItem(DRAFT_KEY)).not.to.equal(null);
    const startOver = $<HTMLButtonElement>(el, 'button.link');
    expect(startOver.textContent).to.equal('Recommencer');
    startOver.click();
    await el.updateComplete;
    expect(stepTitle(el)).to.equal('De quoi s’agit-il ?');
    expect(checked(el, 'service')).to.deep.equal([]);
    expect($(el, 'button.link')).to.equal(null, 'nothing left to start over');
    const left = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null');
    expect(left?.serviceCode ?? null).to.equal(null);
    expect(left?.description ?? '').to.equal('');

    const again = await reopen(localStorage.getItem(DRAFT_KEY));
    expect(stepTitle(again)).to.equal('De quoi s’agit-il ?');
    expect($(again, '.live').textContent).to.equal('');
  });

  it('ignores a stored draft that is not JSON, or not a draft, and starts afresh', async () => {
    for (const corrupt of ['{"serviceCode": "lampadaire", "st', 'null', '[1,2]', '"text"', '{"serviceCode": 42, "step": 3}', '{"step": 4}']) {
      const el = await reopen(corrupt);
      expect(stepTitle(el), corrupt).to.equal('De quoi s’agit-il ?');
      expect($(el, '.live').textContent, corrupt).to.equal('');
      expect(el.catalogue, corrupt).to.be.an('array');
    }
  });

  it('keeps the sound parts of a tampered draft and drops the rest', async () => {
    const el = await reopen(JSON.stringify({
      step: 99,
      serviceCode: 'lampadaire',
      location: { lat: '47.39', long: 0.68, address: ['Quai'] },
      description: { text: 'x' },
      attributes: { panne: ['eteint'], nombre: '3', lieu: [1, 'ecole'] },
      contact: { mode: 'admin', firstName: 7, email: 'jeanne@example.fr', consent: 'yes' },
    }));
    expect(stepTitle(el)).to.equal('Vérifier et envoyer', 'a step past the last is the last');
    expect(el.draft).to.deep.equal({
      step: 99,
      serviceCode: 'lampadaire',
      location: { lat: null, long: 0.68, address: '' },
      description: '',
      attributes: { panne: ['eteint'] },
      photos: 0,
      contact: { mode: 'anonymous', firstName: '', lastName: '', organisation: '', email: 'jeanne@example.fr', phone: '', consent: false, emailUpdates: false },
    });
    await waitUntil(() => el.definition.length > 0, 'the attributes load');
    await el.updateComplete;
    expect($(el, '.review').textContent).to.contain('Type de panne : Éteint');
  });
});
