import type { Attribute, ErrorItem } from '../api/types.ts';
import type { ReportDraft } from './draft.ts';

/**
 * The draft as GeoReport POST fields (multivalue lists as `attribute[CODE][]`), with this device's id
 * (a double tap then files once) and the resident's language (their e-mails are written in it).
 */
export function toFields(draft: ReportDraft, attributes: Attribute[], device: { id: string; locale: string }): [string, string][] {
  const fields: [string, string][] = [['service_code', draft.serviceCode ?? ''], ['device_id', device.id], ['locale', device.locale]];
  const { lat, long, address } = draft.location;
  if (lat !== null && long !== null) fields.push(['lat', String(lat)], ['long', String(long)]);
  if (address.trim()) fields.push(['address_string', address.trim()]);
  if (draft.description.trim()) fields.push(['description', draft.description.trim()]);
  for (const a of attributes) {
    if (!a.variable) continue;
    for (const value of draft.attributes[a.code] ?? []) {
      // Numbers may be typed with a decimal comma; datetimes come from a local-time input without zone.
      const sent = a.datatype === 'number' ? value.trim().replace(',', '.') : a.datatype === 'datetime' ? new Date(value).toISOString() : value;
      fields.push([a.datatype === 'multivaluelist' ? `attribute[${a.code}][]` : `attribute[${a.code}]`, sent]);
    }
  }
  const c = draft.contact;
  if (c.mode !== 'anonymous') {
    for (const [name, value] of [['first_name', c.firstName], ['last_name', c.lastName], ['email', c.email], ['phone', c.phone]] as const) {
      if (value.trim()) fields.push([name, value.trim()]);
    }
    if (c.mode === 'organisation' && c.organisation.trim()) fields.push(['organisation', c.organisation.trim()]);
    if (c.emailUpdates && c.email.trim()) fields.push(['email_updates', 'true']);
  }
  return fields;
}

/** Field id (as the form names them) of a server error, from the field its description names. */
export function fieldOfError(e: ErrorItem): string | undefined {
  const d = e.description;
  const attribute = /^attribute ([^\s:]+)/.exec(d);
  if (attribute) return `attr-${attribute[1]}`;
  if (/^(lat|long|a location|address)/.test(d)) return 'address';
  if (/^service_code/.test(d)) return 'service';
  const field = /^(description|email|phone|first_name|last_name|organisation)\b/.exec(d)?.[1];
  return field && ({ first_name: 'firstName', last_name: 'lastName' } as Record<string, string>)[field] || field;
}
