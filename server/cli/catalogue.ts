import { readFileSync } from 'node:fs';
import { CatalogueError, importCatalogue, parseCatalogue, type CatalogueInput } from '../catalogue/catalogue.import.ts';
import type { Queryable } from '../db/engine.ts';
import { UsageError } from './keys.ts';

/**
 * Reads and checks the file of `georeport catalogue import FILE` (the shape of
 * `demo/city/catalogue.json`). A file that cannot be read, is not JSON or is not a valid catalogue is a
 * UsageError listing every problem. Called before the store is opened, so a bad file touches nothing.
 */
export function readCatalogueFile(args: string[]): CatalogueInput {
  const [action, file, ...extra] = args;
  if (action !== 'import' || !file || extra.length > 0) throw new UsageError('catalogue takes import FILE');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  try {
    return parseCatalogue(doc);
  } catch (e) {
    if (!(e instanceof CatalogueError)) throw e;
    throw new UsageError(`${file} is not a valid catalogue:\n${e.problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Writes a checked catalogue in one transaction: its jurisdiction, groups and services, by code. */
export async function catalogueCommand(db: Queryable, catalogue: CatalogueInput, out: (line: string) => void): Promise<void> {
  await importCatalogue(db, catalogue, Math.floor(Date.now() / 1000));
  out(`imported ${catalogue.services.length} services into ${catalogue.jurisdiction.id}`);
}
