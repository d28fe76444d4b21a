import { isListType, type Attribute } from '../catalogue/catalogue.types.ts';
import { isEmailAddress, isPhoneNumber, LIMITS } from '../shared/checks.ts';
import type { Reason } from '../shared/refusals.ts';
import type { Channel, Reporter } from '../requests/requests.types.ts';
import { parseDatetime } from './datetime.ts';
import { one, type Fields } from './fields.ts';
import { Open311Error, type Refusal, type RefusalValues } from './georeport.errors.ts';

const MAX_MEDIA_URLS = 10;
/** The channels a client may claim for itself (`channel`): staff intake channels (phone, counter, e-mail) are not among them. */
const CLAIMABLE_CHANNELS: readonly Channel[] = ['api', 'web', 'mobile'];
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
  /** How the request came in: `web` (our widget), `mobile` (an app), or `api` when the client says nothing. */
  channel: Channel;
}

const problem = (reason: Reason, field?: string, values?: RefusalValues): Refusal =>
  ({ reason, ...(field === undefined ? {} : { field }), ...(values === undefined ? {} : { values }) });

function coordinate(text: string, name: string, limit: number): number {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!(Math.abs(value) <= limit)) throw new Open311Error([problem('coordinate.invalid', name, { max: limit })]);
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

function checkAttribute(a: Attribute, values: string[]): Refusal | undefined {
  const field = `attribute[${a.code}]`;
  const code = { code: a.code };
  if (values.length === 0) return a.required ? problem('attribute.required', field, code) : undefined;
  if (a.datatype !== 'multivaluelist' && values.length > 1) return problem('attribute.single', field, code);
  const limit = a.datatype === 'text' ? LIMITS.description : LIMITS.attribute;
  if (values.some((v) => [...v].length > limit)) return problem('attribute.too_long', field, { ...code, max: limit });
  if (a.datatype === 'number' && !DECIMAL.test(values[0]!)) return problem('attribute.number', field, code);
  if (a.datatype === 'datetime' && parseDatetime(values[0]!) === undefined) return problem('attribute.datetime', field, code);
  if (isListType(a.datatype)) {
    const keys = new Set(a.values.map((v) => v.key));
    const wrong = values.find((v) => !keys.has(v));
    if (wrong !== undefined) return problem('attribute.value', field, { ...code, value: wrong.slice(0, 60) });
  }
  return undefined;
}

/** The same problem said once (a field given twice is one problem, however often it is read). */
const unique = (problems: Refusal[]) => [...new Map(problems.map((p) => [JSON.stringify(p), p])).values()];

/** Reads fields, collecting every problem instead of stopping at the first. */
function collector(fields: Fields) {
  const problems: Refusal[] = [];
  const read = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Open311Error)) throw e;
      problems.push(...e.refusals);
      return fallback;
    }
  };
  const text = (name: string, max: number) => read(() => one(fields, name, max) ?? null, null);
  return { problems, read, text };
}

/** What someone who files or follows a request may give so as to hear back: `email`, `email_updates`, `locale`, `device_id`. */
function followFields(text: (name: string, max: number) => string | null, problems: Refusal[]) {
  const email = text('email', LIMITS.email);
  if (email !== null && !isEmailAddress(email)) problems.push(problem('email.invalid', 'email'));
  const deviceId = text('device_id', 200) ?? text('deviceid', 200);
  const tag = text('locale', 35);
  // A language tag (`fr`, `en-GB`): its language is what the e-mails are written in.
  if (tag !== null && !/^[a-z]{2}(-[a-z0-9]{1,8})*$/i.test(tag)) problems.push(problem('locale.invalid', 'locale'));
  const locale = tag === null ? null : tag.slice(0, 2).toLowerCase();
  const updates = text('email_updates', 10);
  if (updates !== null && updates !== 'true' && updates !== 'false') problems.push(problem('email_updates.invalid', 'email_updates'));
  if (updates === 'true' && email === null) problems.push(problem('email_updates.no_email', 'email_updates'));
  return { email, deviceId, locale, emailUpdates: updates === 'true' };
}

/** The body of a POST `requests/{id}/followers`: all optional, all checked together. */
export function validateFollower(fields: Fields): { email: string | null; notify: boolean; deviceId: string | null; locale: string | null } {
  const { problems, text } = collector(fields);
  const { email, deviceId, locale, emailUpdates } = followFields(text, problems);
  if (problems.length > 0) throw new Open311Error(problems);
  return { email, notify: emailUpdates, deviceId, locale };
}

/** The refusal of a request that says nowhere where it is. */
export const NO_LOCATION: Refusal = { reason: 'location.missing' };

/**
 * Checks the body of a POST `requests` against the service's attributes. Collects every problem and
 * throws them together as one 400, each naming its field. With `photos`, a missing location is left
 * for the caller to judge once it has read their GPS positions.
 */
export function validateRequest(fields: Fields, attributes: Attribute[], photos = 0): RequestInput {
  const { problems, read, text } = collector(fields);

  const latText = text('lat', 100);
  const longText = text('long', 100);
  if ((latText === null) !== (longText === null)) {
    problems.push(latText === null ? problem('location.incomplete', 'lat', { with: 'long' }) : problem('location.incomplete', 'long', { with: 'lat' }));
  }
  const lat = latText === null ? null : read(() => coordinate(latText, 'lat', 90), null);
  const long = longText === null ? null : read(() => coordinate(longText, 'long', 180), null);
  const address = text('address_string', LIMITS.address_string);
  const addressId = text('address_id', 200);
  if (latText === null && longText === null && address === null && addressId === null && photos === 0) problems.push(NO_LOCATION);

  const title = text('title', LIMITS.title);
  const description = text('description', LIMITS.description);
  const serviceObjectId = text('service_object_id', 200);
  const serviceObjectType = text('service_object_type', 200);
  if ((serviceObjectId === null) !== (serviceObjectType === null)) problems.push(problem('service_object.incomplete', serviceObjectId === null ? 'service_object_id' : 'service_object_type'));
  const { email, deviceId, locale, emailUpdates } = followFields(text, problems);
  const phone = text('phone', LIMITS.phone);
  if (phone !== null && !isPhoneNumber(phone)) problems.push(problem('phone.invalid', 'phone'));
  const channel = text('channel', 20) ?? 'api';
  if (!CLAIMABLE_CHANNELS.includes(channel as Channel)) problems.push(problem('channel.invalid', 'channel'));

  const mediaUrls = (fields.get('media_url') ?? []).filter((u) => u !== '');
  if (mediaUrls.length > MAX_MEDIA_URLS) problems.push(problem('media_url.too_many', 'media_url', { max: MAX_MEDIA_URLS }));
  for (const url of mediaUrls) {
    if (url.length > 2000 || !/^https?:\/\/[^\s/]+/i.test(url)) problems.push(problem('media_url.invalid', 'media_url'));
  }

  const sent = attributeValues(fields);
  const checked: RequestInput['attributes'] = [];
  for (const a of attributes) {
    if (!a.variable) continue;
    const values = [...new Set(sent.get(a.code) ?? [])];
    const refused = checkAttribute(a, values);
    if (refused) problems.push(refused);
    else if (values.length > 0) checked.push({ code: a.code, values });
  }

  const reporter: Reporter = {
    email,
    firstName: text('first_name', LIMITS.first_name),
    lastName: text('last_name', LIMITS.last_name),
    phone,
    deviceId,
    accountId: text('account_id', 200),
    organisation: text('organisation', LIMITS.organisation),
  };
  if (problems.length > 0) throw new Open311Error(unique(problems));
  return {
    lat, long, address, addressId, title, description, serviceObjectId, serviceObjectType,
    mediaUrls: mediaUrls.slice(0, MAX_MEDIA_URLS), attributes: checked, reporter, locale, emailUpdates, channel: channel as Channel,
  };
}
