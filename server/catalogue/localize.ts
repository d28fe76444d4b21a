/**
 * Parses an `i18n` column (`{"en": {"name": "…"}}`); a malformed one counts as no translation. The object
 * has no prototype: it is looked up by language codes that come from clients.
 */
export function parseI18n(json: string): Record<string, Record<string, string>> {
  try {
    return Object.assign(Object.create(null) as Record<string, Record<string, string>>, JSON.parse(json));
  } catch {
    return Object.create(null) as Record<string, Record<string, string>>;
  }
}

/**
 * The text of `field` in `locale` when it has a translation, else the default-language text.
 * @example localized('Voirie', '{"en":{"name":"Roads"}}', 'en', 'name') // 'Roads'
 */
export function localized(main: string, i18n: string, locale: string | null, field: string): string {
  if (!locale || i18n === '{}') return main;
  return parseI18n(i18n)[locale]?.[field] || main;
}
