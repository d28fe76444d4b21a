// The build's own rollup plugins (rollup.config.js): the names of the widget's files, what its loader
// imports, and the brotli and gzip copies the server sends instead of the files.
import { rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Types worth compressing; source maps are left out (only developer tools read them). */
const COMPRESSED = new Set(['.js', '.mjs', '.css', '.html', '.json', '.svg']);

/**
 * Writes `name.br` (quality 11) and `name.gz` (level 9) beside every file of the output, once, at build
 * time: compressing at the highest levels takes about a second for the widget, too slow per request.
 */
export function precompress() {
  return {
    name: 'georeport-precompress',
    writeBundle(options, bundle) {
      const dir = options.dir ?? join(options.file, '..');
      for (const [fileName, item] of Object.entries(bundle)) {
        if (!COMPRESSED.has(extname(fileName))) continue;
        const data = Buffer.from(item.type === 'chunk' ? item.code : item.source);
        const path = join(dir, fileName);
        writeFileSync(`${path}.br`, brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
        }));
        writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

/** Empties an output folder before its first build, so no chunk of an older build is served or shipped. */
export function cleanFirst(dir) {
  return {
    name: 'georeport-clean',
    buildStart() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A chunk's file name: its name in lower-case words joined by hyphens, then its content hash
 * (`georeport-map-Bx3kq_9Z.js`), the shape the server caches for good and the CMS packages ship.
 */
export const chunkFileName = (chunk) => `${chunk.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '') || 'chunk'}-[hash].js`;

/**
 * For the widget's core build (ES, code-split): records in `into` what its loader may import, each file
 * with those it imports, so that the loader asks for them all at once: `CORE` (the entry), `MESSAGES`
 * (each language's texts, `widget/i18n/<lang>.ts`), `ELEMENTS` (each element defined when first needed,
 * by its tag, the name of its module: `georeport-map.ts`) and `LEAFLET` (`widget/map/leaflet.ts`). Writes
 * it beside them as `entry-files.json` for the size tests and the bench (the server does not serve it).
 * Fails the build if the entry, a language or Leaflet is not found.
 */
export function recordLoaderFiles(into) {
  return {
    name: 'georeport-record-loader-files',
    writeBundle(options) {
      writeFileSync(join(options.dir, 'entry-files.json'), `${JSON.stringify(into, null, 2)}\n`);
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) this.error('the widget build has no entry');
      // The core's own files are imported first whatever else is: left out of the other lists.
      const core = [entry.fileName, ...entry.imports];
      const withImports = (chunk) => [chunk.fileName, ...chunk.imports.filter((name) => chunk === entry || !core.includes(name))].map((name) => `./${name}`);
      into.CORE = withImports(entry);
      into.MESSAGES = {};
      into.ELEMENTS = {};
      for (const chunk of chunks.filter((c) => c.isDynamicEntry)) {
        const id = chunk.facadeModuleId ?? '';
        const lang = /\/widget\/i18n\/([a-z]+)\.ts$/.exec(id)?.[1];
        const element = /\/(georeport-[a-z-]+)\.ts$/.exec(id)?.[1];
        if (lang) into.MESSAGES[lang] = withImports(chunk);
        else if (element) into.ELEMENTS[element] = withImports(chunk);
        else if (id.endsWith('/widget/map/leaflet.ts')) into.LEAFLET = withImports(chunk);
      }
      if (Object.keys(into.MESSAGES).length === 0) this.error('no language’s texts were built as files of their own');
      if (!into.LEAFLET) this.error('Leaflet was not built as a file of its own');
    },
  };
}

/**
 * For a code-split build: each dynamic import also imports, at the same time, the files the imported one
 * imports (one level; the importer itself left out, and any other it holds already costs nothing), so
 * the browser asks for them all at once rather than learning of them once the first has come: one round
 * trip instead of two when the map's tab is first shown (the map, then what it shares with the form).
 */
export function importTogether() {
  return {
    name: 'georeport-import-together',
    renderDynamicImport({ format, chunk, getTargetChunkImports }) {
      if (format !== 'es') return null;
      const others = (getTargetChunkImports() ?? []).filter((i) => i.type === 'internal' && i.fileName !== chunk.fileName);
      if (others.length === 0) return null;
      return {
        left: `Promise.all([${others.map((i) => `import(${i.resolvedImportPath})`).join(', ')}, import(`,
        right: `)]).then((loaded) => loaded[${others.length}])`,
      };
    },
  };
}

/**
 * For the loader's builds: `module` (`widget/loader-files.ts`, which lists the sources in development)
 * exports the built files recorded by `recordLoaderFiles` instead. Fails the build if they were not
 * recorded first, or if the module is gone (the loader would load nothing).
 */
export function loaderFiles(module, from) {
  let seen = false;
  return {
    name: 'georeport-loader-files',
    load(id) {
      if (!id.endsWith(module)) return null;
      if (!from.CORE) this.error(`${module}: the widget's core was not built first`);
      seen = true;
      return Object.entries(from).map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`).join('\n');
    },
    buildEnd(error) {
      if (!error && !seen) this.error(`${module} was not part of the build: the widget would never load`);
    },
  };
}
