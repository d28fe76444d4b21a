// Gettext catalogues for the CMS wrappers: a .po parser, the binary .mo WordPress loads, and the Jed JSON
// its script translations are (the entries a given script uses, by their `#:` references).

/**
 * The entries of a .po file: {context, id, plural, strings, references}; the header is the entry whose
 * id is ''.
 */
export function parsePo(text) {
  const entries = [];
  const fresh = () => ({ context: undefined, id: undefined, plural: undefined, strings: [], references: [] });
  let entry = fresh();
  let field = null;
  const flush = () => {
    if (entry.id !== undefined) entries.push(entry);
    entry = fresh();
  };
  const unquote = (s) => JSON.parse(s.replace(/\\(?!["\\nt])/g, '\\\\'));
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$/.exec(line);
    if (line === '') {
      field = null;
    } else if (line.startsWith('#:')) {
      if (entry.id !== undefined) flush();
      entry.references.push(...line.slice(2).trim().split(/\s+/).map((r) => r.replace(/:\d+$/, '')));
    } else if (line.startsWith('#')) {
      // a translator's or a flag comment
    } else if (m) {
      if ((m[1] === 'msgctxt' || m[1] === 'msgid') && entry.id !== undefined) flush();
      field = m[1] === 'msgctxt' ? ['context'] : m[1] === 'msgid' ? ['id'] : m[1] === 'msgid_plural' ? ['plural'] : ['strings', Number(m[2] ?? 0)];
      set(entry, field, unquote(m[3]));
    } else if (line.startsWith('"') && field) {
      set(entry, field, get(entry, field) + unquote(line));
    } else {
      throw new Error(`unreadable .po line: ${raw}`);
    }
  }
  flush();
  return entries.filter((e) => e.strings.some((s) => s !== ''));
}

const set = (entry, [key, index], value) => (index === undefined ? (entry[key] = value) : (entry[key][index] = value));
const get = (entry, [key, index]) => (index === undefined ? entry[key] : entry[key][index]);
/** The key gettext looks an entry up by: context EOT id (NUL plural). */
const keyOf = (e) => (e.context === undefined ? '' : `${e.context}\u0004`) + e.id + (e.plural === undefined ? '' : `\0${e.plural}`);

/** The binary catalogue (little-endian, no hash table), entries sorted by key as gettext requires. */
export function toMo(entries) {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(keyOf(a)), Buffer.from(keyOf(b))));
  const keys = sorted.map((e) => Buffer.from(keyOf(e), 'utf8'));
  const values = sorted.map((e) => Buffer.from(e.strings.join('\0'), 'utf8'));
  const n = sorted.length;
  const head = Buffer.alloc(28 + 16 * n);
  head.writeUInt32LE(0x950412de, 0);
  head.writeUInt32LE(0, 4);
  head.writeUInt32LE(n, 8);
  head.writeUInt32LE(28, 12);
  head.writeUInt32LE(28 + 8 * n, 16);
  head.writeUInt32LE(0, 20);
  head.writeUInt32LE(28 + 16 * n, 24);
  let offset = head.length;
  const data = [];
  [keys, values].forEach((list, table) => {
    list.forEach((buf, i) => {
      head.writeUInt32LE(buf.length, 28 + table * 8 * n + i * 8);
      head.writeUInt32LE(offset, 32 + table * 8 * n + i * 8);
      data.push(buf, Buffer.alloc(1));
      offset += buf.length + 1;
    });
  });
  return Buffer.concat([head, ...data]);
}

/** The Jed 1.x JSON of the entries a script uses (WordPress's wp_set_script_translations format). */
export function toJed(entries, script) {
  const header = entries.find((e) => e.id === '');
  const meta = Object.fromEntries((header?.strings[0] ?? '').split('\n').filter(Boolean).map((l) => [l.split(':')[0].trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const messages = { '': { domain: 'messages', lang: meta.language ?? '', 'plural-forms': meta['plural-forms'] ?? 'nplurals=2; plural=(n != 1);' } };
  for (const e of entries.filter((x) => x.references.includes(script))) {
    messages[(e.context === undefined ? '' : `${e.context}\u0004`) + e.id] = e.strings;
  }
  return { domain: 'messages', locale_data: { messages } };
}
