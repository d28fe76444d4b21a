/**
 * Number and date formatters made once per language and kind: the back office draws long lists and tables
 * again on each key, and making an `Intl` formatter costs far more than using one.
 */
const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

/** The number formatter of `locale` with `options`. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return remembered(`n ${locale} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options)) as Intl.NumberFormat;
}

/** The date formatter of `locale` with `options`. */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  return remembered(`d ${locale} ${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options)) as Intl.DateTimeFormat;
}

function remembered(key: string, make: () => Intl.NumberFormat | Intl.DateTimeFormat) {
  let format = made.get(key);
  if (!format) made.set(key, (format = make()));
  return format;
}
