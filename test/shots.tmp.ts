import { join } from 'node:path';
import { launchChromium } from './helpers/chromium.ts';
import { runCli, startServer, tempDir } from './helpers/server-process.ts';
const tmp = tempDir('shots-');
const env = { GEOREPORT_DB: join(tmp.dir, 'g.db'), GEOREPORT_MEDIA_DIR: join(tmp.dir, 'media') };
const server = await startServer({ args: ['--seed-demo'], env });
await runCli(['staff', 'create', '--email', 'a@ville.example', '--name', 'Claire Martin', '--jurisdiction', 'ville.example'], { ...env, GEOREPORT_STAFF_PASSWORD: 'un mot de passe assez long' });
const { browser, close } = await launchChromium();
const page = await (await browser.newContext({ locale: 'fr-FR', viewport: { width: 1200, height: 900 } })).newPage();
page.on('console', (m) => console.log('console:', m.text()));
await page.goto(`${server.url}admin`);
await page.locator('#email').fill('a@ville.example');
await page.locator('#password').fill('un mot de passe assez long');
await page.getByRole('button', { name: 'Se connecter' }).click();
await page.getByRole('table').waitFor();
await page.getByRole('button', { name: 'Carte' }).click();
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/shot-requests-map.png' });
for (const [hash, name] of (process.argv[2] ?? '#/requests/3:request,#/catalogue:catalogue,#/catalogue/nid-de-poule:editor,#/routing:routing,#/stats:stats').split(',').map((x) => x.split(':'))) {
  await page.goto(`${server.url}admin${hash}`);
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
}
await close();
server.kill();
tmp.cleanup();
