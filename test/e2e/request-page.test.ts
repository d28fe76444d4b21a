/**
 * A request's page (`/requests/{id}`) in Chromium against the real server: read with JavaScript off
 * (status, timeline, photos), under its strict policy with nothing refused, hostile text in every field
 * shown as typed and never run (parsed by Chromium's own HTML parser, then loaded with the policy taken
 * away), followed by e-mail without script (the confirmation reaches a real SMTP server), laid out
 * without sideways scrolling at 320 px and checked with axe-core at phone and desktop sizes.
 *
 * GEOREPORT_E2E_SHOTS=/some/dir writes screenshots (phone 390×844 with touch, 320 px, desktop 1280×800,
 * in French) there, for looking; they are never committed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { freePort, runCli, startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHOTO = readFileSync(new URL('../fixtures/photos/gps-tours.jpg', import.meta.url));
const SHOTS = process.env.GEOREPORT_E2E_SHOTS;

/** What residents, staff and the catalogue might write that a careless page would run or render. */
const CORPUS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '"><svg onload="window.__xss=3">',
  "'><iframe src=\"javascript:window.__xss=4\"></iframe>",
  '</title></textarea><script>window.__xss=5</script>',
  '<a href="javascript:window.__xss=6">lien</a>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<style>body{display:none}</style><link rel="stylesheet" href="https://evil.example/x.css">',
  '&lt;b&gt;déjà échappé&lt;/b&gt; &amp; &#x3C;i&#x3E; &copy',
  '<!-- commentaire --> <![CDATA[ x ]]> <base href="https://evil.example/">',
  '{{constructor.constructor("window.__xss=7")()}} ${window.__xss=8}',
  '\u202eRTL « guillemets » 😀 <b>gras</b>',
];
const HOSTILE = CORPUS.join(' ');
/** Titles hold 200 characters at most. */
const TITLE = `${CORPUS[2]} ${CORPUS[0]} ${CORPUS[4]}`;

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const NARROW: BrowserContextOptions = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

let server: ServerProcess;
let smtp: SmtpSink;
let browser: Browser;
/** A published pothole with a photo, an update and a note, all plain French. */
let plain: string;
/** A request of the markup city, every field of which carries the corpus. */
let hostile: string;
const cleanups: (() => unknown)[] = [];

after(async () => {
  for (const undo of cleanups.reverse()) await undo();
});

async function post(path: string, body: FormData | URLSearchParams): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}open311/v2/${path}`, { method: 'POST', body });
  const answer = (await res.json()) as Record<string, string>[];
  assert.equal(res.status, 200, JSON.stringify(answer));
  return answer[0]!;
}

before(async () => {
  const { dir, cleanup } = tempDir('georeport-page-');
  cleanups.push(cleanup);
  smtp = await startSmtpSink();
  cleanups.push(() => smtp.stop());
  const env = { GEOREPORT_DB: join(dir, 'georeport.db'), GEOREPORT_MEDIA_DIR: join(dir, 'media') };
  assert.equal((await runCli(['catalogue', 'import', 'test/fixtures/catalogues/xss.json'], env)).code, 0);
  const key = /^api_key: (\S+)$/m.exec((await runCli(['keys', 'create', '--name', 'CRM', '--scopes', 'report,updates'], env)).stdout)![1]!;
  const port = await freePort();
  server = await startServer({
    args: ['--seed-demo', '--port', String(port), '--public-url', `http://127.0.0.1:${port}/`],
    env: { ...env, GEOREPORT_SMTP_URL: smtp.url, GEOREPORT_RATE_LIMIT_IP: '100000', GEOREPORT_RATE_LIMIT_KEY: '100000' },
  });
  cleanups.push(() => server.stop());

  const report = new FormData();
  for (const [k, v] of Object.entries({ api_key: 'demo-public-key', jurisdiction_id: 'ville.example', service_code: 'nid-de-poule', 'attribute[taille]': 'moyen',
    lat: '47.3952', long: '0.6861', address_string: '12 rue Nationale', description: 'Gros trou devant la boulangerie, les vélos l’évitent en se déportant.' })) report.append(k, v);
  report.append('media', new Blob([PHOTO], { type: 'image/jpeg' }), 'trou.jpg');
  plain = (await post('requests.json', report)).service_request_id!;
  const update = (id: string, status: string, note: string, jurisdiction = 'ville.example') => post('servicerequestupdates.json', new URLSearchParams({
    api_key: key, jurisdiction_id: jurisdiction, service_request_id: id, update_id: `u-${id}-${Math.random()}`, status, description: note,
  }));
  await update(plain, 'IN_PROGRESS', 'Une équipe passe jeudi matin.');

  hostile = (await post('requests.json', new URLSearchParams({
    api_key: key, jurisdiction_id: 'xss.example', service_code: 'img-name', 'attribute[label]': HOSTILE, 'attribute[kind]': 'off',
    lat: '47.39', long: '0.68', address_string: HOSTILE, description: HOSTILE, title: TITLE,
  }))).service_request_id!;
  await update(hostile, 'IN_PROGRESS', HOSTILE, 'xss.example');

  const chromium = await launchChromium();
  browser = chromium.browser;
  cleanups.push(chromium.close);
});

/** A page in a fresh context, in French, recording what the policy refused and any error. */
async function open(path: string, options: BrowserContextOptions & { javaScriptEnabled?: boolean } = PHONE) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (m) => void (/Content Security Policy|Refused to/i.test(m.text()) && refused.push(m.text())));
  page.on('pageerror', (e) => refused.push(e.message));
  const res = await page.goto(`${server.url}${path}`);
  await page.waitForLoadState('load');
  return { page, res: res!, refused };
}

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** A page in a context that lets the test add axe-core's script despite the page's policy. */
async function auditable(path: string, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, ...options });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

/** axe-core on `path` as it is, or on `page` in the state it reached. */
async function audit(where: string | Page, options: BrowserContextOptions, label: string) {
  const page = typeof where === 'string' ? await auditable(where, options) : where;
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `${label}: axe-core finds nothing`);
}

test('read with JavaScript off: the status in words, the timeline with the city’s note, the photo and the place', async () => {
  const { page, res, refused } = await open(`requests/${plain}`, { ...PHONE, javaScriptEnabled: false });
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  assert.equal(await page.locator('h1').textContent(), 'Nid-de-poule');
  assert.match((await page.locator('.status').textContent())!, /En cours/);
  const timeline = await page.locator('.timeline li').allTextContents();
  assert.equal(timeline.length, 2);
  assert.match(timeline[1]!, /En cours[\s\S]*Une équipe passe jeudi matin\./);
  const photo = page.locator('.photos img');
  assert.equal(await photo.getAttribute('alt'), 'Photo 1 du signalement');
  assert.ok(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the photo, served from /media/, shows');
  assert.match((await page.locator('.address').textContent())!, /12 rue Nationale/);
  assert.match((await page.getByRole('link', { name: 'Voir le lieu sur OpenStreetMap' }).getAttribute('href'))!, /openstreetmap\.org\/\?mlat=47\.39520/);
  assert.deepEqual(refused, [], 'nothing refused by the policy');
  const styled = await page.locator('.status').evaluate((el) => getComputedStyle(el).borderRadius);
  assert.notEqual(styled, '0px', 'the stylesheet applies under default-src \'none\'');
  await shoot(page, 'request-page-phone-390');
});

test('at 320 px nothing scrolls sideways; axe-core is clean on the page and its 404, phone and desktop, in both languages', async () => {
  const { page } = await open(`requests/${plain}`, NARROW);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 320 px');
  const targets = await page.locator('a.action, button, input[type=email]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(targets.every((h) => h >= 44), `touch targets of 44 px at least: ${targets.join(', ')}`);
  await shoot(page, 'request-page-320');
  const desktop = await open(`requests/${plain}`, DESKTOP);
  await shoot(desktop.page, 'request-page-desktop-1280');
  for (const [path, options, label] of [[`requests/${plain}`, PHONE, 'the page on a phone'], [`requests/${plain}`, DESKTOP, 'the page on a desktop'],
    [`requests/${plain}?lang=en`, NARROW, 'the page in English at 320 px'], ['requests/987654321', PHONE, 'the 404 page']] as const) {
    await audit(path, options, label);
  }
});

test('hostile text in every field is shown as typed and never runs (Chromium’s parser, then the page without its policy)', async () => {
  const html = await (await fetch(`${server.url}requests/${hostile}`)).text();
  const { page } = await open('requests/987654321', DESKTOP); // any page of the server, to use its parser
  const parsed = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const attributes = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => ({ tag: el.tagName, name: a.name, value: a.value })));
    return {
      elements: [...doc.querySelectorAll('script, iframe, svg, style, base, b, i, textarea, meta[http-equiv]')].map((e) => e.outerHTML),
      stylesheets: [...doc.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href')),
      handlers: attributes.filter((a) => a.name.startsWith('on')),
      scripted: attributes.filter((a) => ['href', 'src', 'action'].includes(a.name) && /^\s*javascript:/i.test(a.value)),
      images: [...doc.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      title: doc.title,
      h1: doc.querySelector('h1')?.textContent,
      description: doc.querySelector('.description')?.textContent,
      address: doc.querySelector('.address')?.textContent,
      note: doc.querySelector('.timeline__note')?.textContent,
      facts: doc.querySelector('.facts')?.textContent,
      ogTitle: doc.querySelector('meta[property="og:title"]')?.getAttribute('content'),
      ogDescription: doc.querySelector('meta[property="og:description"]')?.getAttribute('content'),
      town: doc.querySelector('.site__name')?.textContent,
    };
  }, html);
  assert.deepEqual(parsed.elements, [], 'no element made from the text');
  assert.deepEqual(parsed.stylesheets, ['request-page.css']);
  assert.deepEqual(parsed.handlers, []);
  assert.deepEqual(parsed.scripted, []);
  assert.deepEqual(parsed.images, [], 'no photo, and no image made from the text');
  assert.equal(parsed.h1, TITLE, 'the title as typed');
  assert.equal(parsed.description, HOSTILE);
  assert.equal(parsed.address, HOSTILE);
  assert.equal(parsed.note, HOSTILE, 'the city’s note as typed');
  assert.ok(parsed.facts!.includes('<img src=x onerror="window.__xss=1"> Broken lamp'), 'the service name from the catalogue as typed');
  assert.ok(parsed.title.includes('<img src=x onerror="window.__xss=1"> Broken lamp') && parsed.title.includes('Markup City <b>bold</b>'));
  assert.ok(parsed.ogTitle!.startsWith('<img src=x onerror="window.__xss=1"> Broken lamp'));
  assert.ok(parsed.ogDescription!.startsWith(CORPUS[0]!));
  assert.equal(parsed.town, 'Markup City <b>bold</b>');

  // Even with the policy taken away, nothing runs, loads from elsewhere or redirects.
  const context = await browser.newContext({ locale: 'fr-FR', ...DESKTOP });
  cleanups.push(() => context.close());
  const elsewhere: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (!url.startsWith(server.url)) {
      elsewhere.push(url);
      return route.abort();
    }
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    return route.fulfill({ response, headers });
  });
  const naked = await context.newPage();
  const dialogs: string[] = [];
  naked.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  await naked.goto(`${server.url}requests/${hostile}`);
  await naked.waitForTimeout(300); // lets a planted handler or refresh fire, if anything was planted
  assert.equal(await naked.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  assert.equal(naked.url(), `${server.url}requests/${hostile}`, 'no redirection');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(elsewhere, [], 'nothing asked of another host');
});

test('following with no script: the resident leaves an e-mail, reads what to do next, and the confirmation e-mail arrives with the page’s link', async () => {
  const { page, refused } = await open(`requests/${plain}`, { ...PHONE, javaScriptEnabled: false });
  await page.getByLabel('Votre adresse e-mail').fill('voisine@exemple.fr');
  await shoot(page, 'request-page-follow-phone-390');
  await page.getByRole('button', { name: 'Me prévenir par e-mail' }).click();
  await page.getByRole('heading', { level: 1, name: 'Consultez votre messagerie' }).waitFor();
  assert.deepEqual(refused, [], 'the form is allowed by the policy (form-action \'self\')');
  await shoot(page, 'request-page-followed-phone-390');
  const [mail] = await smtp.waitFor(1);
  assert.deepEqual(mail!.envelope.to, ['voisine@exemple.fr']);
  assert.ok(mail!.text.includes(`${server.url}requests/${plain}`), 'the e-mail links to the page');
  const scripted = await auditable(`requests/${plain}`, NARROW);
  await scripted.getByLabel('Votre adresse e-mail').fill('voisin@exemple.fr');
  await scripted.getByRole('button', { name: 'Me prévenir par e-mail' }).click();
  await scripted.getByRole('heading', { level: 1, name: 'Consultez votre messagerie' }).waitFor();
  await audit(scripted, NARROW, 'the answer to following, at 320 px');
  await page.getByRole('link', { name: 'Retour au signalement' }).click();
  await page.locator('h1').waitFor();
  assert.equal(page.url(), `${server.url}requests/${plain}`);
});
