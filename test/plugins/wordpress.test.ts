/**
 * The WordPress plugin in a real WordPress (Debian 12's 6.1 and Debian 13's current one, on PHP's server
 * with a private MariaDB), installed from
 * the built archive by WordPress's own plugin installer: its settings saved through the real settings
 * page (bad and hostile values too), the shortcode and the block on pages, the block in the real editor,
 * and a resident filing a report through a WordPress page to a real georeport server. Then uninstalled.
 *
 * Needs `npm run package:plugins` (dist/plugins/), Debian's wordpress, wordpress-l10n, php and
 * mariadb-server packages, scripts/fetch-wordpress.sh's WordPress, Chromium, and root (for /etc/wordpress). GEOREPORT_WP_SHOTS=DIR writes the README's screenshots there.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { LEAFLET_CHUNK } from '../helpers/plugins.ts';
import { startServer, tempDir, type ServerProcess } from '../helpers/server-process.ts';
import { INSTALLED_WORDPRESS, startWordPress, versionOf, type WordPress } from '../helpers/wordpress.ts';

const ARCHIVE = new URL('../../dist/plugins/georeport-wordpress.zip', import.meta.url).pathname;
const SHOTS = process.env.GEOREPORT_WP_SHOTS;
const CURRENT_WORDPRESS = new URL('../../.cache/wordpress-current/usr/share/wordpress', import.meta.url).pathname;
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
/** What a careless or hostile administrator might paste as the tiles' credit. */
const HOSTILE_CREDIT = '"><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> & " onmouseover="window.pwned = 3';

/** The plugin's whole life in one WordPress: `core` is its folder; the screenshots come from the current one. */
function suite(core: string, screenshots: boolean) {
  let wp: WordPress;
  let georeport: ServerProcess;
  let browser: Browser;
  let page: Page;
  const cleanups: (() => unknown)[] = [];
  const pages: Record<string, string> = {};

  before(async () => {
    assert.ok(existsSync(core), `no WordPress in ${core}: run scripts/fetch-wordpress.sh`);
    const { dir, cleanup } = tempDir('georeport-wp-server-');
    cleanups.push(cleanup);
    georeport = await startServer({ args: ['--seed-demo', '--db', join(dir, 'georeport.db'), '--media-dir', join(dir, 'media')], env: { GEOREPORT_RATE_LIMIT_IP: '100000' } });
    cleanups.push(() => georeport.kill());
    wp = await startWordPress(core);
    cleanups.push(() => wp.stop());
    const chromium = await launchChromium();
    browser = chromium.browser;
    cleanups.push(chromium.close);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(/^https:\/\/tile\.openstreetmap\.org\//, (route) => route.fulfill({ contentType: 'image/png', body: TILE }));
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    for (const undo of cleanups.reverse()) await undo();
  });

  const shot = async (name: string) => {
    if (SHOTS && screenshots) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const settings = async () => JSON.parse(await wp.php("echo wp_json_encode( georeport_settings() );")) as Record<string, string>;
  /** A published page holding `content`; its URL. */
  const publish = async (title: string, content: string) => {
    const text = (value: string) => `base64_decode( '${Buffer.from(value).toString('base64')}' )`;
    // wp_insert_post() takes slashed data, as the editor sends it.
    const id = await wp.php(`echo wp_insert_post( wp_slash( array( 'post_type' => 'page', 'post_status' => 'publish', 'post_title' => ${text(title)}, 'post_content' => ${text(content)} ) ) );`);
    assert.match(id, /^\d+$/, id);
    return `${wp.url}/?page_id=${id}`;
  };

  test('installs from the built archive with WordPress’s installer, and activates', async () => {
    const out = await wp.php(`require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
$upgrader = new Plugin_Upgrader( new Automatic_Upgrader_Skin() );
echo wp_json_encode( array( 'installed' => $upgrader->install( ${JSON.stringify(ARCHIVE)} ), 'activated' => activate_plugin( 'georeport/georeport.php' ) ) );`);
    assert.deepEqual(JSON.parse(out), { installed: true, activated: null });
    pages.report = await publish('Signaler un problème', '<!-- wp:paragraph --><p>Un trou, un lampadaire éteint ?</p><!-- /wp:paragraph -->\n[georeport]');
    pages.map = await publish('La carte', '<!-- wp:georeport/georeport {"view":"map","services":"tag-graffiti,lampadaire"} /-->\n[georeport view="map"]');
    pages.status = await publish('Suivi', '[georeport view="status" request="1"]');
    pages.plain = await publish('Horaires', '<!-- wp:paragraph --><p>La mairie ouvre à 9 h.</p><!-- /wp:paragraph -->');
  });

  test('before the server is set, visitors see nothing and the administrator sees where to set it', async () => {
    const visitor = await (await fetch(pages.report!)).text();
    assert.doesNotMatch(visitor, /<georeport-|georeport\.js/);
    // Logged in, back on the page (as WordPress's "Log in" link does).
    // The login page focuses its first field from a timer: typing before it ran could be undone by it.
    await page.goto(`${wp.url}/wp-login.php?redirect_to=${encodeURIComponent(pages.report!)}`);
    await page.waitForFunction(() => document.activeElement?.id === 'user_login');
    await page.locator('#user_login').fill(wp.admin.user);
    await page.locator('#user_pass').fill(wp.admin.password);
    await page.locator('#user_pass').press('Enter');
    await page.waitForURL(pages.report!, { waitUntil: 'domcontentloaded' });
    await page.getByText('georeport: set the server address in Settings → georeport').waitFor();
  });

  test('the settings page saves good values, refuses bad ones with a message each, and says the server answers', async () => {
    await page.goto(`${wp.url}/wp-admin/plugins.php`);
    await page.locator('tr[data-plugin="georeport/georeport.php"]').getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'georeport', level: 1 }).waitFor();
    const fill = async (values: Record<string, string>, browserChecks = true) => {
      // The fields' own types stop most bad values in the browser; what counts is that WordPress refuses
      // them too, whatever sends them: the bad round turns the browser's checks off.
      await page.locator('form[action="options.php"]').evaluate((form: HTMLFormElement, on) => { form.noValidate = !on; }, browserChecks);
      for (const [key, value] of Object.entries(values)) {
        const field = page.locator(`#georeport_${key}`);
        if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
        else await field.fill(value);
      }
      await page.getByRole('button', { name: 'Save Changes' }).click();
    };
    await fill({ server_url: 'javascript:alert(1)', jurisdiction: 'Ville Example', zoom: '40', center: '123,456', tile_url: 'https://tiles.example/plan.png', accent: 'rouge' }, false);
    for (const message of ['The georeport server must be an http:// or https:// address.', 'The jurisdiction is a lower-case id', 'The zoom is a whole number from 1 to 19.',
      'The map centre is a latitude and a longitude', 'The tile address is an http(s) template', 'Colours are written #rrggbb']) {
      const notice = page.locator('.notice-error, .error').filter({ hasText: message });
      await notice.first().waitFor();
      assert.equal(await notice.count(), 1, `once: ${message}`);
    }
    assert.equal((await settings()).server_url, '', 'nothing half-valid is stored');

    await fill({
      server_url: georeport.url, jurisdiction: 'ville.example', api_key: 'demo-public-key', language: 'fr', center: '47.3941, 0.6848', zoom: '14',
      tile_url: '', attribution: HOSTILE_CREDIT, accent: '#7a1f5c', accent_text: '', text: '', background: '',
    });
    await page.getByText('Settings saved.').waitFor();
    await page.getByText('The server answers: 17 categories to report.').waitFor();
    const saved = await settings();
    assert.equal(saved.server_url, georeport.url);
    assert.equal(saved.center, '47.3941,0.6848');
    assert.doesNotMatch(saved.attribution!, /<script|<img/, 'tags are stripped from the credit');
    assert.equal(await page.locator('#georeport_attribution').inputValue(), saved.attribution, 'the field shows what was saved');
    await shot('settings');

    // One bad value among saved ones: refused, the saved value kept, the rest as it was.
    await fill({ zoom: '0' }, false);
    await page.locator('.notice-error, .error').filter({ hasText: 'The zoom is a whole number from 1 to 19.' }).waitFor();
    assert.deepEqual(await settings(), saved);

    // A jurisdiction the server does not know: saved (it is well formed), and the page says the server disagrees.
    await fill({ jurisdiction: 'autre.example' });
    await page.locator('.notice-error').filter({ hasText: /The server does not answer as expected \(HTTP 4\d\d\): check its address and the jurisdiction\./ }).waitFor();
    await fill({ jurisdiction: 'ville.example' });
    await page.getByText('The server answers: 17 categories to report.').waitFor();
  });

  test('pages with the shortcode or the block load the script once, in the footer; others do not load it', async () => {
    const html = await (await fetch(pages.map!)).text();
    assert.equal(html.match(/<script[^>]+assets\/georeport\.js/g)?.length, 1, 'two elements, one script');
    const block = /<div class="wp-block-georeport-georeport[^"]*"><georeport-map ([^>]*)><\/georeport-map><\/div>/.exec(html);
    assert.ok(block, 'the block prints its element in its wrapper');
    assert.match(block[1]!, /services="tag-graffiti,lampadaire"/);
    assert.match(block[1]!, /server="http:\/\/127\.0\.0\.1:\d+\/"/);
    assert.match(block[1]!, /lang="fr"/);
    assert.match(block[1]!, /accent="#7a1f5c"/);
    assert.doesNotMatch(html, /<georeport-[^>]+ style=/, 'no inline style: a strict page policy keeps the colours');
    assert.ok(html.indexOf('georeport.js') > html.indexOf('</georeport-map>'), 'after the content');
    assert.doesNotMatch(await (await fetch(pages.plain!)).text(), /georeport\.js|<georeport-/);
  });

  test('a hostile credit is printed as text: no script runs, no attribute is injected', async () => {
    await page.goto(pages.map!);
    const map = page.locator('georeport-map').first();
    await map.waitFor({ state: 'attached' });
    assert.equal(await map.getAttribute('attribution'), (await settings()).attribution);
    // `style` is the element's own: its colour attribute sets the custom property.
    const names = await map.evaluate((el) => el.getAttributeNames().sort());
    assert.deepEqual(names, ['accent', 'api-key', 'attribution', 'center', 'jurisdiction', 'lang', 'server', 'services', 'style', 'zoom']);
    assert.equal(await map.getAttribute('style'), '--georeport-accent: #7a1f5c;');
    assert.equal(await page.evaluate(() => (window as { pwned?: number }).pwned), undefined);
  });

  test('the maps load Leaflet once, from beside the plugin’s script, and draw the requests', async () => {
    const chunks: string[] = [];
    const seen = (r: Response) => void (/\/leaflet-[\w-]{8}\.js$/.test(r.url()) && chunks.push(`${r.status()} ${r.url()}`));
    page.on('response', seen);
    await page.goto(pages.map!);
    await page.locator('georeport-map .leaflet-marker-icon').first().waitFor();
    page.off('response', seen);
    const script = await page.locator('script[src*="assets/georeport.js"]').getAttribute('src');
    assert.deepEqual(chunks, [`200 ${new URL(LEAFLET_CHUNK, new URL(script!, wp.url)).href}`], 'one request for both maps, to the plugin’s folder');
  });

  test('hostile shortcode and block attributes an author types are dropped, not printed', async () => {
    // The block's attributes as the editor writes them (serialize_block_attributes escapes " < > &).
    const attrs = JSON.stringify({ view: 'status', request: '1" onclick="window.pwned=5', services: '</georeport-status><script>window.pwned=6</script>' })
      .replace(/[<>&]|\\"/g, (c) => `\\u${(c.at(-1)!.codePointAt(0)!).toString(16).padStart(4, '0')}`);
    const hostile = await publish('Piège', `[georeport view="map" services='a" onmouseover="window.pwned=4' layout="side"]
<!-- wp:georeport/georeport ${attrs} /-->
[georeport view="<img src=x onerror=window.pwned=7>"]`);
    await page.goto(hostile);
    await page.locator('georeport-widget').waitFor({ state: 'attached' });
    // The page's own elements (a locator would also find the widget's map, inside its shadow root).
    const found = await page.evaluate(() => [...document.querySelectorAll('georeport-map, georeport-status, georeport-widget')].map((el) => [el.localName, el.getAttributeNames().filter((n) => !['accent', 'api-key', 'attribution', 'center', 'jurisdiction', 'lang', 'server', 'style', 'zoom'].includes(n))]));
    assert.deepEqual(found, [['georeport-map', []], ['georeport-status', []], ['georeport-widget', []]], 'bad values fall back to the defaults');
    assert.equal(await page.locator('script:not([src])').filter({ hasText: 'pwned' }).count(), 0);
    assert.equal(await page.evaluate(() => (window as { pwned?: number }).pwned), undefined);
    await wp.php(`wp_delete_post( ${new URL(hostile).searchParams.get('page_id')}, true );`); // out of the site's menu again
  });

  test('a resident files a report through the WordPress page; the georeport server has it', async () => {
    await page.goto(pages.report!);
    const form = page.locator('georeport-widget');
    await form.locator('#service-tag-graffiti').waitFor();
    await shot('report-form');
    await form.locator('#service-tag-graffiti').click();
    const accent = await form.locator('button[type=submit]').first().evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(accent, 'rgb(122, 31, 92)', 'the accent colour set in WordPress');
    await form.getByRole('button', { name: 'Suivant' }).click();
    await form.locator('#address').fill('Place Plumereau, Montclair-sur-Loire');
    for (let step = 0; step < 6 && !(await form.locator('.review').count()); step++) {
      const different = form.getByRole('button', { name: /Le mien est différent/ });
      if (await different.count()) await different.click();
      else await form.getByRole('button', { name: 'Suivant' }).click();
    }
    await form.locator('.review').waitFor();
    await form.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const id = (await form.locator('.tracking strong').innerText()).trim();
    assert.match(id, /^\d+$/);
    const res = await fetch(`${georeport.url}open311/v2/requests/${id}.json?jurisdiction_id=ville.example`);
    const [request] = (await res.json()) as { service_code: string; address: string }[];
    assert.deepEqual([request!.service_code, request!.address], ['tag-graffiti', 'Place Plumereau, Montclair-sur-Loire']);
  });

  test('the status view shows a request’s status', async () => {
    await page.goto(pages.status!);
    await page.locator('georeport-status').getByText(/Reçu|En cours|Programmé|Résolu/).first().waitFor();
  });

  test('in the editor, the block is offered, shows what it will be, and its sidebar sets what it shows', async () => {
    // The editor's welcome guide and its starter patterns (6.3+) dismissed, as a returning editor has them.
    await wp.php(`update_user_meta( get_current_user_id(), $GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences',
  array( 'core' => array( 'enableChoosePatternModal' => false ), 'core/edit-post' => array( 'welcomeGuide' => false ), '_modified' => gmdate( 'c' ) ) );`);
    await page.goto(`${wp.url}/wp-admin/post-new.php?post_type=page`);
    await page.waitForFunction(() => !!(window as { wp?: { blocks?: { getBlockType?: unknown } } }).wp?.blocks?.getBlockType);
    await page.evaluate(() => {
      const { wp } = window as unknown as { wp: { data: { dispatch(s: string): Record<string, (...a: unknown[]) => void>; select(s: string): Record<string, (...a: unknown[]) => boolean> } ; blocks: { createBlock(n: string, a: object): unknown } } };
      wp.data.dispatch('core/editor').editPost({ title: 'Signaler un problème' });
      wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('georeport/georeport', { view: 'map' }));
    });
    const canvas = page.frameLocator('iframe[name="editor-canvas"]').first();
    const inEditor = (await page.locator('iframe[name="editor-canvas"]').count()) ? canvas.locator('body') : page.locator('body');
    await inEditor.getByText('georeport — Map of requests only').waitFor();
    const view = page.getByLabel('What to show');
    await view.selectOption('status');
    await page.getByLabel('Request number').fill('12');
    const attributes = await page.evaluate(() => {
      const { wp } = window as unknown as { wp: { data: { select(s: string): { getBlocks(): { name: string; attributes: Record<string, string> }[] } } } };
      return wp.data.select('core/block-editor').getBlocks().find((b) => b.name === 'georeport/georeport')!.attributes;
    });
    assert.deepEqual([attributes.view, attributes.request], ['status', '12']);
    await view.selectOption('widget');
    await shot('editor');
  });

  test('in French, the settings page and the block speak French', async () => {
    await wp.php("update_option( 'WPLANG', 'fr_FR' );");
    await page.goto(`${wp.url}/wp-admin/options-general.php?page=georeport`);
    await page.getByText('Serveur georeport').waitFor();
    await page.getByText('Le serveur répond : 17 catégories à signaler.').waitFor();
    await page.goto(`${wp.url}/wp-admin/post-new.php?post_type=page`);
    await page.waitForFunction(() => !!(window as { wp?: { i18n?: unknown } }).wp?.i18n);
    const label = await page.evaluate(() => (window as unknown as { wp: { i18n: { __(s: string, d: string): string } } }).wp.i18n.__('Report form and map', 'georeport'));
    assert.equal(label, 'Formulaire de signalement et carte');
    await wp.php("update_option( 'WPLANG', '' );");
  });

  test('deleting the plugin deletes its settings', async () => {
    const out = await wp.php(`require_once ABSPATH . 'wp-admin/includes/admin.php';
deactivate_plugins( 'georeport/georeport.php' );
echo wp_json_encode( array( 'deleted' => delete_plugins( array( 'georeport/georeport.php' ) ), 'option' => get_option( 'georeport_settings', 'gone' ) ) );`);
    assert.deepEqual(JSON.parse(out), { deleted: true, option: 'gone' });
  });
}

for (const [core, screenshots] of [[INSTALLED_WORDPRESS, false], [CURRENT_WORDPRESS, true]] as const) {
  describe(`the WordPress plugin on WordPress ${existsSync(core) ? versionOf(core) : '(missing)'}`, () => suite(core, screenshots));
}
