/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { en } from '../../widget/i18n/en.ts';
import { fr } from '../../widget/i18n/fr.ts';
import type { GeoReportForm } from '../../widget/report-form/georeport-form.ts';
import { $, $$, answerStreetlight, choose, focused, form, next, publicRequest, send, stepTitle, stored, toDetails, type, type FormOptions } from './helpers.ts';

/** A streetlight report walked to the contact step. */
async function toContact(lang = 'fr', options: FormOptions = {}): Promise<GeoReportForm> {
  const el = await form(lang, options);
  await toDetails(el);
  await answerStreetlight(el);
  await next(el);
  await next(el); // no photo
  return el;
}

const modes = (el: GeoReportForm) => $$<HTMLInputElement>(el, 'input[name=mode]').map((i) => i.value);

describe('georeport-form contact step', () => {
  it('is anonymous unless the resident chooses otherwise, and says what becomes public', async () => {
    const el = await toContact();
    expect(stepTitle(el)).to.equal('Vous');
    expect(modes(el)).to.deep.equal(['anonymous', 'person', 'organisation']);
    expect($<HTMLInputElement>(el, 'input[name=mode][value=anonymous]').checked).to.equal(true);
    expect($(el, '#email')).to.equal(null, 'nothing personal is asked of an anonymous resident');
    expect($(el, '#public-note').textContent).to.contain('jamais publiés');
    await next(el);
    expect(stepTitle(el)).to.equal('Vérifier et envoyer');
    expect($(el, '.review').textContent).to.contain('Anonyme');
  });

  it('asks a person for a name, e-mail and phone, and an organisation for its name too', async () => {
    const el = await toContact();
    await choose(el, 'input[name=mode][value=person]');
    for (const id of ['firstName', 'lastName', 'email', 'phone', 'consent']) {
      expect($(el, `#${id}`), id).not.to.equal(null);
      expect(el.shadowRoot!.querySelector(`label[for=${id}]`) ?? $(el, `#${id}`).closest('label'), `${id} has a label`).not.to.equal(null);
    }
    expect($<HTMLInputElement>(el, '#email').type).to.equal('email');
    expect($<HTMLInputElement>(el, '#email').autocomplete).to.equal('email');
    expect($(el, '#consent').getAttribute('aria-describedby')).to.equal('public-note', 'the consent box points to what is published');
    expect($(el, '#organisation')).to.equal(null);
    await choose(el, 'input[name=mode][value=organisation]');
    expect($(el, 'label[for=organisation]').textContent).to.equal('Organisation');
  });

  it('needs consent to pass on the details, and says so next to the box', async () => {
    const el = await toContact();
    await choose(el, 'input[name=mode][value=person]');
    await type(el, '#firstName', 'Jeanne');
    await next(el);
    expect(stepTitle(el)).to.equal('Vous');
    expect($(el, '#consent-error').textContent).to.equal('Cochez la case pour transmettre vos coordonnées, ou restez anonyme.');
    expect($(el, '#consent').getAttribute('aria-describedby')).to.equal('public-note consent-error');
    expect($(el, '#consent').getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal('#consent');
    await choose(el, '#consent');
    await next(el);
    expect(stepTitle(el)).to.equal('Vérifier et envoyer');
  });

  it('refuses an e-mail address without a domain, next to the field', async () => {
    const el = await toContact('en');
    await choose(el, 'input[name=mode][value=person]');
    await choose(el, '#consent');
    await type(el, '#email', 'jeanne@');
    await next(el);
    expect($(el, '#email-error').textContent).to.equal('Enter an e-mail address such as name@example.fr.');
    expect($(el, '#email').getAttribute('aria-describedby')).to.equal('email-error');
    expect($(el, '#email').getAttribute('aria-invalid')).to.equal('true');
    expect(focused(el)).to.equal('#email');
    await type(el, '#email', ' jeanne@example.fr ');
    await next(el);
    expect(stepTitle(el)).to.equal('Check and send');
  });

  it('with contact-required, offers no anonymous choice and will not go on without one', async () => {
    const el = await toContact('fr', { contactRequired: true });
    expect(modes(el)).to.deep.equal(['person', 'organisation']);
    await next(el);
    expect(stepTitle(el)).to.equal('Vous', 'an anonymous report is not allowed here');
    expect($(el, '#mode-error').textContent).to.equal('Indiquez si vous signalez en votre nom ou pour une organisation.');
    expect($(el, '#mode').getAttribute('aria-describedby')).to.equal('mode-error');
    expect(focused(el)).to.equal('input[name=mode][value=person]');
    await choose(el, 'input[name=mode][value=person]');
    await choose(el, '#consent');
    await next(el);
    expect(stepTitle(el)).to.equal('Vérifier et envoyer');
  });

  it('after filing with e-mail updates, tells the resident to confirm their address from their inbox; without, says nothing of it', async () => {
    const el = await toContact('fr');
    await choose(el, 'input[name=mode][value=person]');
    await type(el, '#email', 'jeanne@example.fr');
    await choose(el, '#email-updates');
    await choose(el, '#consent');
    await next(el);
    await send(el);
    expect($(el, '.result .notice').textContent).to.equal(fr.follow.checkInbox);
    const quiet = await toContact('en');
    await choose(quiet, 'input[name=mode][value=person]');
    await type(quiet, '#email', 'jeanne@example.fr');
    await choose(quiet, '#consent');
    await next(quiet);
    await send(quiet);
    expect($(quiet, '.result').textContent).not.to.contain(en.follow.checkInbox);
  });

  it('sends who reported to the city only: stored with the request, absent from its public view', async () => {
    const el = await toContact();
    await choose(el, 'input[name=mode][value=organisation]');
    await type(el, '#organisation', 'Comité de quartier Nord');
    await type(el, '#firstName', 'Jeanne');
    await type(el, '#lastName', 'Martin-Privé');
    await type(el, '#email', 'jeanne.martin@example.fr');
    await type(el, '#phone', '06 12 34 56 78');
    await choose(el, '#consent');
    await next(el);
    expect($(el, '.review').textContent).to.contain('Comité de quartier Nord, Jeanne, Martin-Privé, jeanne.martin@example.fr, 06 12 34 56 78');
    const id = await send(el);
    expect((await stored(id)).reporter).to.deep.equal({
      kind: 'organisation', organisation: 'Comité de quartier Nord', first_name: 'Jeanne', last_name: 'Martin-Privé',
      email: 'jeanne.martin@example.fr', phone: '06 12 34 56 78',
    });
    const published = JSON.stringify(await publicRequest(id));
    expect(published).to.contain(`"service_request_id":"${id}"`);
    for (const secret of ['Jeanne', 'Martin-Privé', 'jeanne.martin@example.fr', '06 12 34 56 78', 'Comité']) {
      expect(published).not.to.contain(secret);
    }
  });
});
