import { isListType, type Attribute } from '../catalogue/catalogue.types.ts';
import { isEmailAddress, MAX_EMAIL } from '../notify/email-address.ts';
import type { Reporter } from '../requests/requests.types.ts';
import { parseDatetime } from './datetime.ts';
import { one, type Fields } from './fields.ts';
import { Open311Error, badRequest } from './georeport.errors.ts';

export const MAX_DESCRIPTION = 4000;
const MAX_MEDIA_URLS = 10;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const ATTRIBUTE_FIELD = /^attribute\[([^\]]+)\](\[\])?$/;

/** What a POST `requests` carries once checked; everything optional is null when not given. */
export interface RequestInput {
  lat: number | null;
  long: number | null;
  address: string | null;
  addressId: string | null;
  title: string | null;
  description: string | null;
  serviceObjectId: string | null;
  serviceObjectType: string | null;
  mediaUrls: string[];
  attributes: { code: string; values: string[] }[];
  reporter: Reporter;
  /** `locale`: the reporter's language, for their e-mails. */
  locale: string | null;
  /** `email_updates=true`: the reporter wants an e-mail when the request moves (needs `email`). */
  emailUpdates: boolean;
}

function coordinate(text: string, name: string, limit: number): number {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!(Math.abs(value) <= limit)) throw badRequest(`${name} must be a number between -${limit} and ${limit}`);
  return value;
}

/** Every `attribute[CODE]` and `attribute[CODE][]` value, by code, in the order sent. */
function attributeValues(fields: Fields): Map<string, string[]> {
  const byCode = new Map<string, string[]>();
  for (const [name, values] of fields) {
    const code = ATTRIBUTE_FIELD.exec(name)?.[1];
    if (code === undefined) continue;
    byCode.set(code, [...(byCode.get(code) ?? []), ...values.filter((v) => v !== '')]);
  }
  return byCode;
}

function checkAttribute(a: Attribute, values: string[]): string | undefined {
  if (values.length === 0) return a.required ? `attribute ${a.code} is required` : undefined;
  if (a.datatype !== 'multivaluelist' && values.length > 1) return `attribute ${a.code} takes a single value`;
  const limit = a.datatype === 'text' ? MAX_DESCRIPTION : 1000;
  if (values.some((v) => [...v].length > limit)) return `attribute ${a.code} must be at most ${limit} characters`;
  if (a.datatype === 'number' && !DECIMAL.test(values[0]!)) return `attribute ${a.code} must be a number`;
  if (a.datatype === 'datetime' && parseDatetime(values[0]!) === undefined) {
    return `attribute ${a.code} must be a W3C datetime with a zone, such as 2026-05-01T08:30:00+02:00`;
  }
  if (isListType(a.datatype)) {
    const keys = new Set(a.values.map((v) => v.key));
    const wrong = values.find((v) => !keys.has(v));
    if (wrong !== undefined) return `attribute ${a.code}: ${wrong.slice(0, 60)} is not one of its values`;
  }
  return undefined;
}

/** Reads fields, collecting every problem instead of stopping at the first. */
function collector(fields: Fields) {
  const problems: string[] = [];
  const read = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Open311Error)) throw e;
      problems.push(...e.errors.map((x) => x.description));
      return fallback;
    }
  };
  const text = (name: string, max: number) => read(() => one(fields, name, max) ?? null, null);
  return { problems, read, text };
}

/** What someone who files or follows a request may give so as to hear back: `email`, `email_updates`, `locale`, `device_id`. */
function followFields(text: (name: string, max: number) => string | null, problems: string[]) {
  const email = text('email', MAX_EMAIL);
  if (email !== null && !isEmailAddress(email)) problems.push('email is not a valid e-mail address');
  const deviceId = text('device_id', 200) ?? text('deviceid', 200);
  const tag = text('locale', 35);
  // A language tag (`fr`, `en-GB`): its language is what the e-mails are written in.
  if (tag !== null && !/^[a-z]{2}(-[a-z0-9]{1,8})*$/i.test(tag)) problems.push('locale must be a language code such as fr or en');
  const locale = tag === null ? null : tag.slice(0, 2).toLowerCase();
  const updates = text('email_updates', 10);
  if (updates !== null && updates !== 'true' && updates !== 'false') problems.push('email_updates must be true or false');
  if (updates === 'true' && email === null) problems.push('email_updates needs an email');
  return { email, deviceId, locale, emailUpdates: updates === 'true' };
}

/** The body of a POST `requests/{id}/followers`: all optional, all checked together. */
export function validateFollower(fields: Fields): { email: string | null; notify: boolean; deviceId: string | null; locale: string | null } {
  const { problems, text } = collector(fields);
  const { email, deviceId, locale, emailUpdates } = followFields(text, problems);
  if (problems.length > 0) throw badRequest(...problems);
  return { email, notify: emailUpdates, deviceId, locale };
}

export const NO_LOCATION = 'a location is required: lat and long, address_string, address_id, or a photo carrying its GPS position';

/**
 * Checks the body of a POST `requests` against the service's attributes. Collects every problem and
 * throws them together as one 400, each naming its field. With `photos`, a missing location is left
 * for the caller to judge once it has read their GPS positions.
 */
export function validateRequest(fields: Fields, attributes: Attribute[], photos = 0): RequestInput {
  const { problems, read, text } = collector(fields);

  const latText = text('lat', 100);
  const longText = text('long', 100);
  if ((latText === null) !== (longText === null)) problems.push(latText === null ? 'lat is required with long' : 'long is required with lat');
  const lat = latText === null ? null : read(() => coordinate(latText, 'lat', 90), null);
  const long = longText === null ? null : read(() => coordinate(longText, 'long', 180), null);
  const address = text('address_string', 1000);
  const addressId = text('address_id', 200);
  if (latText === null && longText === null && address === null && addressId === null && photos === 0) problems.push(NO_LOCATION);

  const title = text('title', 200);
  const description = text('description', MAX_DESCRIPTION);
  const serviceObjectId = text('service_object_id', 200);
  const serviceObjectType = text('service_object_type', 200);
  if ((serviceObjectId === null) !== (serviceObjectType === null)) problems.push('service_object_id and service_object_type must be given together');
  const { email, deviceId, locale, emailUpdates } = followFields(text, problems);
  const phone = text('phone', 40);
  if (phone !== null && (phone.match(/\d/g) ?? []).length < 3) problems.push('phone is not a valid phone number');

  const mediaUrls = (fields.get('media_url') ?? []).filter((u) => u !== '');
  if (mediaUrls.length > MAX_MEDIA_URLS) problems.push(`at most ${MAX_MEDIA_URLS} media_url may be given`);
  for (const url of mediaUrls) {
    if (url.length > 2000 || !/^https?:\/\/[^\s/]+/i.test(url)) problems.push('media_url must be an absolute http(s) URL');
  }

  const sent = attributeValues(fields);
  const checked: RequestInput['attributes'] = [];
  for (const a of attributes) {
    if (!a.variable) continue;
    const values = [...new Set(sent.get(a.code) ?? [])];
    const problem = checkAttribute(a, values);
    if (problem) problems.push(problem);
    else if (values.length > 0) checked.push({ code: a.code, values });
  }

  const reporter: Reporter = {
    email,
    firstName: text('first_name', 100),
    lastName: text('last_name', 100),
    phone,
    deviceId,
    accountId: text('account_id', 200),
    organisation: text('organisation', 200),
  };
  if (problems.length > 0) throw badRequest(...[...new Set(problems)]);
  return {
    lat, long, address, addressId, title, description, serviceObjectId, serviceObjectType,
    mediaUrls: mediaUrls.slice(0, MAX_MEDIA_URLS), attributes: checked, reporter, locale, emailUpdates,
  };
}
