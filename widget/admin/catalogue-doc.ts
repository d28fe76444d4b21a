/** The catalogue as the back-office API gives and takes it (`GET/PUT …/catalogue`, `PUT …/services/:code`). */
export type Text = string | Record<string, string>;
export interface AttributeDoc {
  code: string;
  datatype: string;
  required?: boolean;
  public?: boolean;
  variable?: boolean;
  order: number;
  description?: Text;
  values?: { key: string; name: Text }[];
}
export interface ServiceDoc {
  code: string;
  name: Text;
  description?: Text;
  group?: string;
  type?: string;
  sla_hours?: number;
  moderation?: 'auto' | 'hold';
  agency_responsible?: string;
  active?: boolean;
  attributes?: AttributeDoc[];
  [other: string]: unknown;
}
export interface CatalogueDoc {
  jurisdiction: { default_locale: string };
  groups: { code: string; name: Text }[];
  services: ServiceDoc[];
}

/** A response template: the text agents start from when a request of the service gets the status. */
export interface ResponseTemplate {
  service_code: string;
  detailed_status: string;
  locale: string;
  text: string;
}

/** The detailed statuses staff set (the CitySDK extension), in their order. */
export const STATUSES = ['received', 'in_progress', 'planned', 'fixed', 'not_fixed', 'duplicate', 'referred', 'rejected'];

/** A text in one language: '' when it has none in it (a plain string is French). */
export const inLang = (text: Text | undefined, lang: string) => (text === undefined ? '' : typeof text === 'string' ? (lang === 'fr' ? text : '') : text[lang] ?? '');

/** A text in the back office's language (`locale`, its texts'), else in French, else in any. */
export const localized = (text: Text | undefined, locale: string) => {
  if (text === undefined || typeof text === 'string') return text ?? '';
  return text[locale.slice(0, 2)] ?? text.fr ?? Object.values(text)[0] ?? '';
};
