// The build's own rollup plugins (rollup.config.js): the Leaflet chunk shared by both widget formats, and
// the brotli and gzip copies the server sends instead of the files.
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
 * For the build of a lazily loaded chunk (an entry of its own, named with its content hash): records its
 * file name in `into.fileName` for the builds that load it, and fails unless it imports nothing, since
 * both widget formats load this one file and a classic script has no module for it to import from.
 */
export function separateChunk(into) {
  return {
    name: 'georeport-separate-chunk',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      if (chunks.length !== 1) this.error(`the chunk must be one file, not ${chunks.map((c) => c.fileName).join(', ')}`);
      const [chunk] = chunks;
      if (chunk.imports.length + chunk.dynamicImports.length > 0) this.error(`${chunk.fileName} must import nothing: ${[...chunk.imports, ...chunk.dynamicImports].join(', ')}`);
      into.fileName = chunk.fileName;
    },
  };
}

/**
 * For the widget's builds: `module` (a file that exports the chunk's name as `exportName`, the source file's
 * name in development) exports the built chunk's file name instead. Fails the build if the module is gone.
 */
export function chunkName(module, exportName, from) {
  let seen = false;
  return {
    name: 'georeport-chunk-name',
    load(id) {
      if (!id.endsWith(module)) return null;
      if (!from.fileName) this.error(`${module}: the chunk was not built first`);
      seen = true;
      return `export const ${exportName} = ${JSON.stringify(`./${from.fileName}`)};`;
    },
    buildEnd(error) {
      if (!error && !seen) this.error(`${module} was not part of the build: the chunk would never load`);
    },
  };
}
