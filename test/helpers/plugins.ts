/**
 * What the CMS wrappers' tests share: a folder's files, an archive unpacked, PHP's lint, and gettext
 * catalogues read by WordPress's own PO and MO readers.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { INSTALLED_WORDPRESS } from './wordpress.ts';

export const run = promisify(execFile);
export const ROOT = new URL('../../', import.meta.url).pathname;
/** The widget's bundle, which both archives ship. */
export const BUNDLE = join(ROOT, 'dist/widget/georeport.js');
/**
 * The files of the current build that the bundle loads from beside itself (its core, the parts loaded
 * when first needed, each language's texts, Leaflet), named by their content: shipped with it.
 */
export const CHUNKS = readdirSync(join(ROOT, 'dist/widget')).filter((name) => /^[a-z]+(?:-[a-z]+)*-[\w-]{8}\.js$/.test(name)).sort();
/** Among them, Leaflet's, loaded when a map is first shown. */
export const LEAFLET_CHUNK = CHUNKS.find((name) => name.startsWith('leaflet-'))!;

/** Every file under `dir` (dotfiles left out), as paths relative to it. */
export function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir).filter((n) => !n.startsWith('.')).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path, base) : [relative(base, path)];
  });
}

/** Unpacks a .zip (Python's zipfile, checking every CRC) or a .tar.gz (tar) into `dir`. */
export async function unpack(archive: string, dir: string) {
  if (archive.endsWith('.zip')) {
    await run('/usr/bin/python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])', archive, dir]);
  } else {
    await run('tar', ['-xzf', archive, '-C', dir]);
  }
}

/** `php -l` on each file: resolves with the files PHP finds fault with, and why. */
export async function lint(files: string[]) {
  const faults: string[] = [];
  for (const file of files) {
    const { stdout } = await run('php', ['-l', file]).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    if (!stdout.includes('No syntax errors detected')) faults.push(`${file}: ${stdout.trim()}`);
  }
  return faults;
}

export interface GettextEntry {
  context: string | null;
  singular: string;
  plural: string | null;
  translations: string[];
  references: string[];
}

/** A .po or .mo file's entries, as WordPress reads them (wp-includes/pomo). */
export async function gettext(file: string): Promise<GettextEntry[]> {
  const kind = file.endsWith('.mo') ? 'MO' : 'PO';
  const { stdout } = await run('php', ['-r', `require '${INSTALLED_WORDPRESS}/wp-includes/pomo/po.php'; require '${INSTALLED_WORDPRESS}/wp-includes/pomo/mo.php';
$catalogue = new ${kind}(); if ( ! $catalogue->import_from_file( $argv[1] ) ) { exit( 1 ); }
echo json_encode( array_values( array_map( function ( $e ) { return array( 'context' => $e->context, 'singular' => $e->singular, 'plural' => $e->plural, 'translations' => $e->translations, 'references' => $e->references ); }, $catalogue->entries ) ) );`, file]);
  return JSON.parse(stdout) as GettextEntry[];
}

/** The string literals passed as first argument to the functions named in `calls`, in a source file. */
export function stringsPassedTo(source: string, calls: string[]) {
  const pattern = new RegExp(`(?<![\\w$>])(?:${calls.join('|')})\\(\\s*('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*")`, 'g');
  return [...source.matchAll(pattern)].map((m) => m[1]!.slice(1, -1).replace(/\\(['"\\])/g, '$1'));
}

/** Asserts every file of `dir` is in the unpacked archive at `unpacked`, byte for byte. */
export function assertShipped(dir: string, unpacked: string) {
  for (const file of filesOf(dir)) {
    assert.ok(readFileSync(join(unpacked, file)).equals(readFileSync(join(dir, file))), `${file} is shipped as it is in the repository`);
  }
}
