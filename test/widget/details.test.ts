/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { $, $$, choose, focused, form, next, send, stored, stepTitle, toDetails, type } from './helpers.ts';

describe('georeport-form details step', () => {
  it('shows each attribute as the control its datatype calls for, in order, required ones marked', async () => {
    const el = await form('fr');
    await toDetails(el);
    const info = $(el, '#attr-securite');
    expect(info.tagName).to.equal('P');
    expect(info.textContent).to.contain('appelez le 112');
    expect(info.querySelector('input, textarea')).to.equal(null, 'information only, nothing to answer');

    const text = $<HTMLInputElement>(el, '#attr-numero-poteau');
    expect([text.tagName, text.type, text.inputMode]).to.deep.equal(['INPUT', 'text', '']);
    expect(text.getAttribute('aria-describedby')).to.equal('attr-numero-poteau-hint');
    expect($(el, '#attr-numero-poteau-hint').textContent).to.equal('Par exemple EP-1234');
    const number = $<HTMLInputElement>(el, '#attr-nombre');
    expect([number.type, number.inputMode]).to.deep.equal(['text', 'decimal']);
    expect($<HTMLInputElement>(el, '#attr-depuis').type).to.equal('datetime-local');
    expect($(el, '#attr-precisions').tagName).to.equal('TEXTAREA');
    expect($(el, '#attr-panne').tagName).to.equal('FIELDSET');
    expect($$<HTMLInputElement>(el, 'input[name=attr-panne]').map((i) => i.type)).to.deep.equal(['radio', 'radio', 'radio', 'radio']);
    expect($$<HTMLInputElement>(el, 'input[name=attr-lieu]').map((i) => i.type)).to.deep.equal(['checkbox', 'checkbox', 'checkbox', 'checkbox']);
    expect($(el, '#attr-panne').textContent).to.contain('Allumé en journée');

    const order = $$(el, '[id^=attr-]').map((e) => e.id).filter((id) => !/-(hint|error)$/.test(id));
    expect(order).to.deep.equal(['attr-securite', 'attr-numero-poteau', 'attr-nombre', 'attr-depuis', 'attr-panne', 'attr-lieu', 'attr-precisions']);
    const marked = (id: string) => Boolean(el.shadowRoot!.querySelector(`label[for=${id}] .req, #${id} > legend .req`));
    expect(['attr-numero-poteau', 'attr-nombre', 'attr-depuis', 'attr-panne', 'attr-lieu', 'attr-precisions'].filter(marked)).to.deep.equal(['attr-nombre', 'attr-panne']);
    expect($(el, 'label[for=attr-nombre]').textContent).to.contain('(obligatoire)');
    expect(number.getAttribute('aria-required')).to.equal('true');
  });

  it('counts the description down in characters as people count them, and flags it past 4000', async () => {
    const el = await form('fr');
    await toDetails(el);
    expect($(el, '#description-count').textContent).to.equal('4000 caractères restants');
    await type(el, '#description', 'Lampe 💡');
    expect($(el, '#description-count').textContent).to.equal('3993 caractères restants', 'an emoji is one character');
    await type(el, '#description', '💡'.repeat(4000));
    expect($(el, '#description-count').textContent).to.equal('0 caractères restants');
    expect($(el, '#description-count').classList.contains('over')).to.equal(false);
    await type(el, '#description', 'x'.repeat(4001));
    expect($(el, '#description-count').classList.contains('over')).to.equal(true);
    expect($(el, '#description-count').textContent).to.equal('1 caractères en trop');
    await answerRequired(el);
    await next(el);
    expect(stepTitle(el)).to.equal('Détails', 'a description too long keeps the resident on the step');
    expect($(el, '#description-error').textContent).to.equal('4000 caractères au plus.');
    const field = $(el, '#description');
    expect(field.getAttribute('aria-describedby')!.split(' ')).to.include('description-error');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal('#description');
  });

  it('ties each validation message to its field and moves focus to the first one', async () => {
    const el = await form('fr');
    await toDetails(el);
    await next(el);
    expect($(el, '.summary').textContent).to.equal('2 champs sont à corriger.');
    expect($(el, '#attr-nombre-error').textContent).to.equal('Nombre de lampadaires concernés : champ obligatoire.');
    expect($(el, '#attr-panne-error').textContent).to.equal('Type de panne : champ obligatoire.');
    for (const id of ['attr-nombre', 'attr-panne']) {
      expect($(el, `#${id}`).getAttribute('aria-describedby')!.split(' ')).to.include(`${id}-error`);
      expect($(el, `#${id}`).getAttribute('aria-invalid')).to.equal('true');
    }
    expect($(el, '#attr-numero-poteau').hasAttribute('aria-invalid')).to.equal(false, 'an optional empty field is fine');
    expect(focused(el)).to.equal('#attr-nombre');

    await type(el, '#attr-nombre', 'trois');
    await next(el);
    expect($(el, '#attr-nombre-error').textContent).to.equal('Saisissez un nombre, comme 3 ou 2,5.');

    await type(el, '#attr-nombre', '3');
    await next(el);
    expect($(el, '#attr-nombre-error')).to.equal(null);
    expect(focused(el)).to.equal('input[name=attr-panne][value=eteint]', 'a list takes focus on its first choice');

    await choose(el, 'input[name=attr-panne][value=clignote]');
    await next(el);
    expect(stepTitle(el)).to.equal('Photos');
  });

  it('sends a decimal comma as a point, a local date-time with its zone, and each value of a multiple choice', async () => {
    const el = await form('fr');
    await toDetails(el);
    await type(el, '#attr-numero-poteau', 'EP-1234');
    await type(el, '#attr-nombre', ' 2,5 ');
    await type(el, '#attr-depuis', '2026-03-14T21:45');
    await choose(el, 'input[name=attr-panne][value=clignote]');
    await choose(el, 'input[name=attr-lieu][value=carrefour]');
    await choose(el, 'input[name=attr-lieu][value=parc]');
    await choose(el, 'input[name=attr-lieu][value=ecole]');
    await choose(el, 'input[name=attr-lieu][value=parc]'); // unticked again
    await type(el, '#attr-precisions', 'Près du banc');
    await next(el);
    await next(el); // no photo
    await next(el); // anonymous
    const review = $(el, '.review').textContent!;
    expect(review).to.contain('Clignote');
    expect(review).to.contain('Un carrefour, Près d\'une école');
    expect(review).not.to.contain('appelez le 112');

    const id = await send(el);
    const { attributes } = await stored(id);
    const since = attributes.depuis?.[0] ?? '';
    expect(new Date(since).getTime()).to.equal(new Date('2026-03-14T21:45').getTime(), 'the local time the resident chose');
    expect(since).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/, 'a W3C datetime with its zone');
    expect({ ...attributes, depuis: undefined }).to.deep.equal({
      depuis: undefined,
      lieu: ['carrefour', 'ecole'],
      nombre: ['2.5'],
      'numero-poteau': ['EP-1234'],
      panne: ['clignote'],
      precisions: ['Près du banc'],
    });
  });
});

async function answerRequired(el: Awaited<ReturnType<typeof form>>) {
  await type(el, '#attr-nombre', '1');
  await choose(el, 'input[name=attr-panne][value=eteint]');
}
