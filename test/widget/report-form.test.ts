/// <reference types="mocha" />
import { expect, waitUntil } from '@open-wc/testing';
import { $, $$, choose, form, next, SERVER, type } from './helpers.ts';

describe('georeport-form', () => {
  it('shows the catalogue from the server in the page language, grouped, with descriptions', async () => {
    const el = await form('fr');
    expect($(el, '.title').textContent).to.equal('Signaler un problème');
    const groups = $$(el, '.group').map((g) => g.getAttribute('aria-label'));
    expect(groups).to.include('Éclairage public');
    expect($(el, '#service-lampadaire').closest('label')!.textContent).to.contain('Lampadaire en panne');
    const english = await form('en');
    expect($(english, '.title').textContent).to.equal('Report a problem');
    expect($(english, '#service-lampadaire').closest('label')!.textContent).to.contain('Streetlight out');
  });

  it('asks its question once on screen; the choices keep it as their name for screen readers', async () => {
    const el = await form('fr');
    const shown = [...el.shadowRoot!.querySelectorAll('h3, legend')].filter((n) => n.getBoundingClientRect().width > 1).map((n) => n.textContent);
    expect(shown).to.deep.equal(['De quoi s’agit-il ?']);
    expect($(el, 'fieldset.choices > legend').textContent).to.equal('De quoi s’agit-il ?');
  });

  it('finds categories by name or keyword, accents ignored', async () => {
    const el = await form('fr');
    await type(el, '#search', 'eclairage');
    const found = $$(el, 'input[name=service]').map((i) => (i as HTMLInputElement).value);
    expect(found).to.include('lampadaire');
    expect(found).not.to.include('nid-de-poule');
    await type(el, '#search', 'poubelle');
    expect($$(el, 'input[name=service]').map((i) => (i as HTMLInputElement).value)).to.include('corbeille-pleine');
    await type(el, '#search', 'zzzz');
    expect($(el, '#search-count').textContent).to.contain('Aucune catégorie');
  });

  it('will not go on without a category, and says why next to the choices', async () => {
    const el = await form('fr');
    await next(el);
    expect($(el, '#service-error').textContent).to.equal('Choisissez une catégorie.');
    expect($(el, 'fieldset.choices').getAttribute('aria-describedby')).to.equal('service-error');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '.choices input'));
  });

  it('walks a report through every step without the map and shows the tracking number', async () => {
    const el = await form('fr');
    await choose(el, '#service-lampadaire');
    await next(el);
    expect($(el, '#step-title').textContent).to.equal('Où est-ce ?');
    await next(el);
    expect($(el, '#address-error').textContent).to.contain('adresse');
    await type(el, '#address', '12 rue Nationale');
    await next(el);
    expect($(el, '#step-title').textContent).to.equal('Détails');
    await waitUntil(() => $(el, '#attr-nombre'), 'the attributes load');
    await next(el);
    expect($(el, '#attr-nombre-error').textContent).to.contain('obligatoire');
    await type(el, '#attr-nombre', '2,5');
    await choose(el, 'input[name=attr-panne][value=eteint]');
    await choose(el, 'input[name=attr-lieu][value=ecole]');
    await type(el, '#description', 'Deux lampadaires éteints');
    await next(el);
    await next(el); // no photo
    await next(el); // anonymous
    expect($(el, '.review').textContent).to.contain('Lampadaire en panne');
    expect($(el, '.review').textContent).to.contain('Éteint');
    let submitted: string | undefined;
    el.addEventListener('georeport-submitted', (e) => (submitted = e.detail.id));
    await next(el);
    await waitUntil(() => el.status === 'sent', 'the report is sent', { timeout: 5000 });
    await el.updateComplete;
    expect(submitted).to.match(/^\d+$/);
    expect($(el, '.tracking').textContent).to.equal(submitted);
    const stored = await (await fetch(`${SERVER}open311/v2/requests/${submitted}.json?jurisdiction_id=ville.example`)).json();
    expect(stored[0].address).to.equal('12 rue Nationale');
    expect(stored[0].description).to.equal('Deux lampadaires éteints');
    expect(Object.keys(localStorage).filter((k) => k.startsWith('georeport-draft:'))).to.deep.equal([], 'the draft is gone once sent');
  });

  it('keeps everything and says why when the server cannot be reached', async () => {
    const el = await form('en', { server: 'http://127.0.0.1:9/' });
    expect(el.catalogue).to.equal('failed');
    await waitUntil(() => el.setup !== null, 'the server is asked');
    await el.updateComplete;
    expect($(el, '#setup-problem').textContent).to.contain('The reporting server does not answer.');
  });

  it('restores an unfinished report after a reload', async () => {
    const first = await form('fr');
    await choose(first, '#service-nid-de-poule');
    await next(first);
    await type(first, '#address', 'Quai du Port');
    const saved = localStorage.getItem(localStorage.key(0)!);
    first.remove();
    const again = await form('fr');
    localStorage.setItem(`georeport-draft:${SERVER}:ville.example`, saved!);
    again.remove();
    const restored = await (async () => {
      const { fixture, html } = await import('@open-wc/testing');
      const wrapper = await fixture(html`<div lang="fr"><georeport-form server=${SERVER} jurisdiction="ville.example" api-key="demo-public-key" no-map></georeport-form></div>`);
      const el = wrapper.querySelector('georeport-form')!;
      await waitUntil(() => Array.isArray(el.catalogue));
      await waitUntil(() => !el.shadowRoot!.querySelector('#steps-loading'), 'the restored step’s code loads');
      await el.updateComplete;
      return el;
    })();
    expect($(restored, '#step-title').textContent).to.equal('Où est-ce ?');
    expect($<HTMLInputElement>(restored, '#address').value).to.equal('Quai du Port');
    expect($(restored, '.live').textContent).to.contain('restauré');
  });

  it('is accessible at every step (axe)', async () => {
    const el = await form('fr');
    await expect(el).to.be.accessible();
    await choose(el, '#service-lampadaire');
    await next(el);
    await expect(el).to.be.accessible();
    await type(el, '#address', 'Place Jean-Jaurès');
    await next(el);
    await waitUntil(() => $(el, '#attr-nombre'));
    await next(el); // shows errors
    await expect(el).to.be.accessible();
  });
});
