import type { Context } from 'hono';
import { addField, normalizeText, parseForm, type Fields } from './fields.ts';
import { badRequest } from './georeport.errors.ts';

/**
 * Reads a POST body as form fields: `application/x-www-form-urlencoded` (also assumed when no type is
 * sent) or `multipart/form-data` (whose parsed form is returned too, for its file parts). Malformed
 * bodies are a 400, and so is invalid UTF-8 in a urlencoded body; in multipart text fields Node's parser
 * has already replaced it with U+FFFD, which is stored as such (still well-formed in XML and JSON).
 */
export async function readFormBody(c: Context): Promise<{ fields: Fields; form?: FormData }> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw badRequest('the multipart/form-data body is malformed');
    }
    const fields: Fields = new Map();
    for (const [name, value] of form) {
      if (typeof value === 'string') addField(fields, normalizeText(name), normalizeText(value));
    }
    return { fields, form };
  }
  if (type === '' || type.startsWith('application/x-www-form-urlencoded')) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
    } catch {
      throw badRequest('the body is not valid UTF-8');
    }
    return { fields: parseForm(text) };
  }
  throw badRequest('the body must be application/x-www-form-urlencoded or multipart/form-data');
}
