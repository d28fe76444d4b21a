import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

let smtp: SmtpSink;
let server: ServerProcess;
let cleanup: () => void;
/** The city's integration key (FixMyStreet's, say): it may post status updates, the public key may not. */
let integrationKey: string;

before(async () => {
  smtp = await startSmtpSink();
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const db = join(tmp.dir, 'georeport.db');
  const created = await runCli(['keys', 'create', '--name', 'FixMyStreet', '--scopes', 'report,updates'], { GEOREPORT_DB: db });
  integrationKey = /^api_key: (\S+)$/m.exec(created.stdout)![1]!;
  server = await startServer({
    args: ['--seed-demo'],
    env: {
      GEOREPORT_DB: db, GEOREPORT_MEDIA_DIR: join(tmp.dir, 'media'), GEOREPORT_SMTP_URL: smtp.url,
      GEOREPORT_MAIL_FROM: 'Ville de Montclair <311@ville.example>', GEOREPORT_TIMEZONE: 'Europe/Paris',
    },
  });
});
after(async () => {
  await server?.stop();
  await smtp?.stop();
  cleanup?.();
});

const api = (path: string) => `${server.url}open311/v2/${path}`;
async function post(path: string, fields: Record<string, string>, key = 'demo-public-key') {
  const res = await fetch(api(path), { method: 'POST', body: new URLSearchParams({ api_key: key, ...fields }) });
  const body = (await res.json()) as Record<string, string>[];
  assert.equal(res.status, 200, JSON.stringify(body));
  return body[0]!;
}

/** A link of `kind` in a mail's text, pointed at the server under test. */
const linkIn = (text: string, kind: 'confirm' | 'unsubscribe') =>
  new RegExp(`https?://\\S+/${kind}/[A-Za-z0-9_-]+`).exec(text)![0].replace(/^https?:\/\/[^/]+\//, server.url);

/** The mail links to the request's own page, which shows it. */
async function assertPageLink(text: string, id: string) {
  const found = new RegExp(`https?://\\S+/requests/${id}(?=\\s)`).exec(text);
  assert.ok(found, `a link to the request's page in:\n${text}`);
  const shown = await fetch(found[0].replace(/^https?:\/\/[^/]+\//, server.url));
  assert.equal(shown.status, 200);
  assert.match(await shown.text(), new RegExp(`n° ${id}|#${id}`));
}

test('followers confirm their address from a real e-mail, then get one in their language on a public status change, and the unsubscribe link works', async () => {
  const { service_request_id: id } = await post('requests.json', {
    service_code: 'nid-de-poule', lat: '47.3941', long: '0.6848', 'attribute[taille]': 'petit', address_string: '12 rue <i>Haute</i>',
    email: 'author@example.org', email_updates: 'true', locale: 'en-GB',
  });
  const joined = await post(`requests/${id}/followers.json`, { device_id: 'phone-1', email: 'voisine@exemple.fr', email_updates: 'true', locale: 'fr' });
  assert.equal(joined.email_confirmation, 'required');
  await post(`requests/${id}/followers.json`, { device_id: 'phone-2' }); // no e-mail: counted, never written to

  const asks = await smtp.waitFor(2);
  const askTo = Object.fromEntries(asks.map((m) => [m.envelope.to.join(','), m]));
  assert.deepEqual(Object.keys(askTo).sort(), ['author@example.org', 'voisine@exemple.fr'], 'a confirmation request each, nothing else');
  assert.equal(askTo['author@example.org']!.subject, `Confirm your address to follow report #${id}`);
  assert.equal(askTo['voisine@exemple.fr']!.subject, `Confirmez votre adresse pour suivre le signalement n° ${id}`);
  for (const m of asks) {
    assert.match(m.contentType, /text\/plain/);
    assert.equal(m.html, false);
    assert.ok(m.text.includes('12 rue <i>Haute</i>'), 'the address, as text');
    await assertPageLink(m.text, id!);
    const link = linkIn(m.text, 'confirm');
    const shown = await fetch(link);
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /<button type="submit">(Confirmer|Confirm)<\/button>/);
    const done = await fetch(link, { method: 'POST' });
    assert.match(await done.text(), /C’est fait|Done/);
  }

  const note = 'Rebouché ce matin. <a href="http://evil.example">Cliquez</a> & merci';
  await post('servicerequestupdates.json', { service_request_id: id!, update_id: 'crm-1', status: 'FIXED', description: note }, integrationKey);
  const mails = (await smtp.waitFor(4)).slice(2);
  const byTo = Object.fromEntries(mails.map((m) => [m.envelope.to.join(','), m]));
  assert.deepEqual(Object.keys(byTo).sort(), ['author@example.org', 'voisine@exemple.fr']);
  const en = byTo['author@example.org']!;
  const fr = byTo['voisine@exemple.fr']!;
  assert.equal(en.subject, `Report #${id}: Fixed`);
  assert.equal(fr.subject, `Signalement n° ${id} : Résolu`);
  assert.equal(en.headers['content-language'], 'en');
  assert.equal(fr.headers['content-language'], 'fr');
  for (const m of [en, fr]) {
    assert.equal(m.envelope.from, '311@ville.example');
    assert.match(m.contentType, /text\/plain/);
    assert.equal(m.html, false, 'plain text only: nothing to render as markup');
    assert.ok(m.text.includes(note), 'the note, as written, shown as text');
    assert.ok(m.text.includes('12 rue <i>Haute</i>'));
    assert.equal(m.headers['auto-submitted'], 'auto-generated');
    assert.match(m.headers['list-unsubscribe-post']!, /One-Click/);
    await assertPageLink(m.text, id!);
  }
  assert.match(fr.text, /Nouvel état : Résolu/);
  assert.match(en.text, /New status: Fixed/);

  const link = linkIn(fr.text, 'unsubscribe');
  assert.ok(fr.headers['list-unsubscribe']!.includes(new URL(link).pathname), 'the header carries the same link');
  const page = await fetch(link);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<button type="submit">Confirmer<\/button>/);
  const done = await fetch(link, { method: 'POST' });
  assert.equal(done.status, 200);
  assert.match(await done.text(), /C’est fait/);

  await post('servicerequestupdates.json', { service_request_id: id!, update_id: 'crm-2', status: 'IN_PROGRESS', description: 'Reprise' }, integrationKey);
  const fifth = (await smtp.waitFor(5))[4]!;
  assert.deepEqual(fifth.envelope.to, ['author@example.org']);
  assert.equal(fifth.subject, `Report #${id}: In progress`);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(smtp.received.length, 5, 'nothing more went to the one who unsubscribed');
});
