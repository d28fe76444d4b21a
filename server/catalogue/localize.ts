/** Parses an `i18n` column (`{"en": {"name": "…"}}`); a malformed one counts as no translation. */
export function parseI18n(json: string): Record<string, Record<string, string>> {
  try {
    return JSON.parse(json) as Record<string, Record<string, string>>;
  } catch {
    return {};
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
