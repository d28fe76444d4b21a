/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import type { GeoReportWidget } from '../../widget/georeport-widget.ts';
import { groupKind } from '../../widget/report-form/group-icons.ts';
import { $, $$, choose, form, next, pastLocation, SERVER, type } from './helpers.ts';

/** A box's size in CSS pixels. */
const size = (e: Element) => e.getBoundingClientRect();

/** From the first step to the review of a report with a long description and a list answer. */
async function toReview(el: GeoReportForm) {
  await choose(el, '#service-nid-de-poule');
  await next(el);
  await type(el, '#address', '12 rue Nationale, devant la boulangerie, côté pair');
  await pastLocation(el);
  await waitUntil(() => el.definition.length > 0, 'the questions load');
  await el.updateComplete;
  await type(el, '#description', 'Un trou profond au milieu de la chaussée, juste avant le passage piéton ; les vélos font un écart.');
  await choose(el, 'input[name=attr-taille][value=grand]');
  await next(el);
  await next(el); // no photo
  await choose(el, 'input[name=mode][value=anonymous]');
  await next(el);
}

describe('the widget on a phone (320 and 390 px)', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const width of [320, 390]) {
    it(`at ${width} px the review is a stacked list: every answer as wide as the form, nothing scrolls sideways`, async () => {
      await setViewport({ width, height: 844 });
      const el = await form('fr');
      await toReview(el);
      expect(el.step).to.equal(5);
      const formWidth = size(el).width;
      const values = $$(el, '.review-value');
      expect(values.length).to.equal(5);
      for (const value of values) expect(size(value).width).to.be.greaterThan(formWidth * 0.8, `an answer across the form: ${value.textContent}`);
      expect($$(el, '.review-value p').map((p) => p.textContent)).to.include('Taille approximative du trou : Plus de 60 cm');
      expect(document.documentElement.scrollWidth).to.be.at.most(width);
      for (const button of $$(el, '.review-edit button')) {
        expect(size(button).height).to.be.at.least(44);
        expect(button.getAttribute('aria-label')).to.match(/^Modifier : /, 'its name says what it changes');
      }
    });
  }

  it('at 320 px every control of the category and contact steps is a target of 44 × 44 px or more', async () => {
    await setViewport({ width: 320, height: 844 });
    const el = await form('fr');
    const targets = [...$$(el, 'label.choice'), ...$$(el, '.nav button')];
    expect(targets.length).to.be.greaterThan(10);
    for (const target of targets) {
      const box = size(target);
      expect(box.height, target.textContent!.trim()).to.be.at.least(44);
      expect(box.width, target.textContent!.trim()).to.be.at.least(44);
    }
    await choose(el, '#service-tag-graffiti');
    expect($(el, '#service-tag-graffiti').closest('label')!.matches(':has(input:checked)')).to.equal(true);
  });

  it('each group of categories has its own icon, drawn inline and hidden from screen readers', async () => {
    const el = await form('fr');
    const groups = $$(el, '.group-name');
    expect(groups.length).to.equal(7);
    for (const group of groups) {
      const icon = group.querySelector('svg.group-icon')!;
      expect(icon.getAttribute('aria-hidden')).to.equal('true');
      expect(size(icon).width).to.be.at.least(24);
    }
    const kinds = groups.map((g) => groupKind(g.textContent!.trim()));
    expect(new Set(kinds).size).to.equal(7, `one icon per group: ${kinds.join(', ')}`);
    expect(kinds).to.not.include('pin');
    const english = ['Roads and pavements', 'Street cleanliness', 'Street lighting', 'Parks and green spaces', 'Street furniture', 'Water and drains', 'Ideas and thanks'];
    expect(english.map(groupKind)).to.deep.equal(kinds, 'the same icons in English');
    expect(groupKind('Cimetières')).to.equal('pin', 'a group nothing matches gets a pin');
  });

  it('at 320 px the three tabs share one row, each a target of 44 px or more', async () => {
    await setViewport({ width: 320, height: 844 });
    const widget = await fixture<GeoReportWidget>(html`<div lang="fr" style="padding: 0 16px"><georeport-widget server=${SERVER}
      jurisdiction="ville.example" api-key="demo-public-key" no-map></georeport-widget></div>`).then((d) => d.querySelector('georeport-widget')!);
    await widget.updateComplete;
    const tabs = [...widget.shadowRoot!.querySelectorAll('[role=tab]')];
    expect(tabs.map((t) => t.textContent!.trim())).to.deep.equal(['Signaler', 'Carte', 'Mes signalements']);
    const tops = new Set(tabs.map((t) => Math.round(size(t).top)));
    expect(tops.size).to.equal(1, 'one row');
    for (const tab of tabs) expect(size(tab).height).to.be.at.least(44);
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
  });
});
