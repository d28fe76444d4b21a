// `npm run package:plugins`: the installable archives of the CMS wrappers, each with the current widget
// bundle inside: dist/plugins/georeport-wordpress.zip (WordPress's "Upload Plugin") and
// dist/plugins/georeport-drupal.tar.gz (Drupal's modules/ folder, or "Add a module"). Translations are
// compiled on the way (.po → .mo, and the block editor's JSON). No tool beyond Node is needed.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { parsePo, toJed, toMo } from './po.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'dist/plugins');
const WIDGET = join(ROOT, 'dist/widget');
/**
 * The classic entry, georeport.js, and every file it loads from beside itself (the core, the parts loaded
 * when first needed, each language's texts, Leaflet: content-hashed): the widget's .js files, the ES entry
 * (georeport.mjs), source maps and compressed copies left out. The CMS serves them from its own folder,
 * where the script finds them.
 */
const bundle = readdirSync(WIDGET).filter((name) => name.endsWith('.js')).sort().map((name) => [name, readFileSync(join(WIDGET, name))]);

/** Every file of a folder, as [path inside it, content], dotfiles left out. */
function files(dir, base = dir) {
  return readdirSync(dir).filter((n) => !n.startsWith('.')).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, base) : [[relative(base, path), readFileSync(path)]];
  });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zip archive (deflated entries, UTF-8 names, a fixed date so the same files make the same zip). */
function zip(entries) {
  const local = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt16LE(0, 10); // 00:00
    head.writeUInt16LE(((2026 - 1980) << 9) | (1 << 5) | 1, 12); // 2026-01-01
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBuf.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(0x0314, 4); // made by Unix, version 2.0
    head.copy(dir, 6, 4, 30); // version needed … name length
    dir.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    dir.writeUInt32LE(offset, 42);
    local.push(head, nameBuf, packed);
    central.push(dir, nameBuf);
    offset += head.length + nameBuf.length + packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/** A gzipped ustar archive of regular files (folders are implied by the paths). */
function tarGz(entries) {
  const blocks = [];
  for (const [name, data] of entries) {
    if (Buffer.byteLength(name) > 100) throw new Error(`name too long for ustar: ${name}`);
    const head = Buffer.alloc(512);
    const field = (text, at, length) => head.write(text, at, length, 'utf8');
    const octal = (n, length) => n.toString(8).padStart(length - 1, '0') + '\0';
    field(name, 0, 100);
    field(octal(0o644, 8), 100, 8);
    field(octal(0, 8), 108, 8);
    field(octal(0, 8), 116, 8);
    field(octal(data.length, 12), 124, 12);
    field(octal(Math.floor(Date.UTC(2026, 0, 1) / 1000), 12), 136, 12);
    field('        ', 148, 8);
    field('0', 156, 1);
    field('ustar\0', 257, 6);
    field('00', 263, 2);
    const sum = head.reduce((n, b) => n + b, 0);
    field(octal(sum, 7) + ' ', 148, 8);
    blocks.push(head, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]), { level: 9 });
}

/** The WordPress plugin: its files, the bundle, and its translations compiled. */
function wordpress() {
  const dir = join(ROOT, 'plugins/wordpress/georeport');
  const entries = files(dir).filter(([name]) => !name.startsWith('assets/'));
  for (const [name, data] of files(dir).filter(([n]) => n.endsWith('.po'))) {
    const po = parsePo(data.toString('utf8'));
    const base = name.slice(0, -'.po'.length);
    entries.push([`${base}.mo`, toMo(po)]);
    // Looked up by the editor script's handle (wp_set_script_translations, with the plugin's path).
    entries.push([`${base}-georeport-georeport-editor-script.json`, Buffer.from(JSON.stringify(toJed(po, 'blocks/georeport/editor.js')))]);
  }
  entries.push(...bundle.map(([name, data]) => [`assets/${name}`, data]));
  return zip(entries.sort(([a], [b]) => a.localeCompare(b)).map(([name, data]) => [`georeport/${name}`, data]));
}

/** The Drupal module: its files and the bundle (its .po files are read by Drupal's locale module). */
function drupal() {
  const entries = [...files(join(ROOT, 'plugins/drupal/georeport')), ...bundle.map(([name, data]) => [`js/${name}`, data])];
  return tarGz(entries.sort(([a], [b]) => a.localeCompare(b)).map(([name, data]) => [`georeport/${name}`, data]));
}

mkdirSync(OUT, { recursive: true });
for (const [file, data] of [['georeport-wordpress.zip', wordpress()], ['georeport-drupal.tar.gz', drupal()]]) {
  writeFileSync(join(OUT, file), data);
  process.stdout.write(`${relative(ROOT, join(OUT, file))}: ${(data.length / 1024).toFixed(1)} kB\n`);
}
