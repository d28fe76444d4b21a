/**
 * A real WordPress for the plugin's tests: Debian's WordPress package on PHP's built-in server, a private
 * MariaDB on a socket, a throw-away wp-content (the package's themes and translations linked in),
 * installed headlessly. Two are used: Debian 12's (6.1, installed) and Debian 13's (a current one, unpacked
 * by scripts/fetch-wordpress.sh). Debian's wp-config.php reads /etc/wordpress/config-127.0.0.1.php: it is
 * written for the run and removed after (tests run as root, as in CI; one WordPress at a time).
 * `php(code)` runs PHP with WordPress loaded, for what a test sets up or reads behind the pages.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, tempDir } from './server-process.ts';

/** Debian 12's WordPress (the wordpress package). */
export const INSTALLED_WORDPRESS = '/usr/share/wordpress';
const CONFIG = '/etc/wordpress/config-127.0.0.1.php';
const run = promisify(execFile);

export interface WordPress {
  url: string;
  /** $wp_version, such as 6.1.9. */
  version: string;
  admin: { user: string; password: string };
  /** Runs PHP with WordPress loaded (as the administrator); resolves with what it printed. */
  php(code: string): Promise<string>;
  stop(): Promise<void>;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ends a child and what it forked (its process group, by its PID), and waits for it to be gone. */
async function end(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.pid === undefined) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // gone already
    }
  };
  signal('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null) signal('SIGKILL');
}

/** The version of the WordPress in `core` (its folder). */
export function versionOf(core: string) {
  return /\$wp_version = '([^']+)'/.exec(readFileSync(join(core, 'wp-includes/version.php'), 'utf8'))?.[1] ?? 'unknown';
}

export async function startWordPress(core = INSTALLED_WORDPRESS): Promise<WordPress> {
  const { dir, cleanup } = tempDir('georeport-wp-');
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await end(child);
    rmSync(CONFIG, { force: true });
    cleanup();
  };
  try {
    // The database: its own data folder and socket, no network.
    const socket = join(dir, 'mysqld.sock');
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${join(dir, 'db')}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db']);
    const db = spawn('mariadbd', ['--no-defaults', `--datadir=${join(dir, 'db')}`, `--socket=${socket}`, '--skip-networking', '--user=root',
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'mysqld.err')}`], { stdio: 'ignore', detached: true });
    children.push(db);
    await until(() => existsSync(socket), 'MariaDB');
    await run('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '-e',
      "CREATE DATABASE wordpress; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wordpress.* TO 'wp'@'localhost';"]);

    // The site: WordPress's files, and a wp-content of its own (the default theme, no plugin yet).
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const root = join(dir, 'root');
    const content = join(dir, 'wp-content');
    for (const sub of ['plugins', 'uploads', 'upgrade']) mkdirSync(join(content, sub), { recursive: true });
    // The package's themes, and WordPress's own translations (so that a site can be French).
    for (const sub of ['themes', 'languages']) {
      mkdirSync(join(content, sub), { recursive: true });
      for (const name of readdirSync(join(core, 'wp-content', sub))) symlinkSync(join(core, 'wp-content', sub, name), join(content, sub, name));
    }
    mkdirSync(root);
    for (const name of readdirSync(core).filter((n) => n !== 'wp-content')) symlinkSync(join(core, name), join(root, name));
    symlinkSync(content, join(root, 'wp-content'));
    writeFileSync(CONFIG, `<?php
define('DB_NAME', 'wordpress'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wp'); define('DB_HOST', 'localhost:${socket}');
define('WP_CONTENT_DIR', '${content}'); define('WP_CONTENT_URL', '${url}/wp-content');
define('WP_HOME', '${url}'); define('WP_SITEURL', '${url}');
define('FS_METHOD', 'direct'); define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true);
// Only loopback: WordPress.org's update and pattern calls would wait on a network this machine lacks.
define('WP_HTTP_BLOCK_EXTERNAL', true);
`);
    const admin = { user: 'admin', password: 'un mot de passe pour les tests' };
    const php = async (code: string, installing = false) => {
      const script = `<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1'; $_SERVER['SERVER_NAME'] = '127.0.0.1'; $_SERVER['REQUEST_URI'] = '/';
${installing ? "define( 'WP_INSTALLING', true );" : ''}
function wp_mail() { return true; } // no sendmail here
require '${core}/wp-load.php';
${installing ? '' : "wp_set_current_user( get_user_by( 'login', 'admin' )->ID );"}
${code}
`;
      const file = join(dir, `run-${Date.now()}-${Math.random().toString(36).slice(2)}.php`);
      writeFileSync(file, script);
      try {
        const { stdout, stderr } = await run('php', [file], { maxBuffer: 16 * 1024 * 1024 });
        if (stderr.trim()) process.stderr.write(`php: ${stderr}`);
        return stdout;
      } finally {
        rmSync(file, { force: true });
      }
    };
    await php(`require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install( 'Ville de Montclair-sur-Loire', '${admin.user}', 'webmestre@ville.example', false, '', '${admin.password}' );`, true);

    const server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], { env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' }, stdio: 'ignore', detached: true });
    children.push(server);
    await until(async () => (await fetch(`${url}/wp-login.php`).catch(() => null))?.status === 200, 'the WordPress site');
    return { url, version: versionOf(core), admin, php, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
