import type { Attribute } from '../api/types.ts';
import type { ReportDraft } from './draft.ts';

/**
 * The draft as GeoReport POST fields (multivalue lists as `attribute[CODE][]`), with this device's id
 * (a double tap then files once), the resident's language (their e-mails and any refusal are written in it),
 * the channel (`web`: the city's statistics tell the widget from API clients), and e-mail updates only
 * when the server sends e-mail (`emailUpdates`).
 */
export function toFields(draft: ReportDraft, attributes: Attribute[], device: { id: string; locale: string; emailUpdates: boolean }): [string, string][] {
  const fields: [string, string][] = [['service_code', draft.serviceCode ?? ''], ['device_id', device.id], ['locale', device.locale], ['channel', 'web']];
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
    if (device.emailUpdates && c.emailUpdates && c.email.trim()) fields.push(['email_updates', 'true']);
  }
  return fields;
}
