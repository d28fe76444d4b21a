/**
 * Why the GeoReport API refuses a call, as stable machine-readable codes, each with the HTTP status it is
 * answered with. Every Open311 error item keeps its core `code` and `description` (the description in the
 * caller's language) and gains `reason` (one of these) and, when one field is at fault, `field` (the
 * parameter's name as sent: `phone`, `attribute[SIZE]`, `start_date`). Clients that know only the core
 * ignore both. A code is `subject.problem`: the subject is the parameter a check belongs to
 * (`phone.invalid`), or `field` for checks made on any parameter (`field.too_long`, with `field` naming it).
 * Codes are never renamed once published; new ones may be added.
 *
 * Shared by the server (which answers them) and the widget (which words them): TypeScript only, no Node API.
 */
export const REASONS = {
  // The key, the caller's limits and the body, checked before anything else.
  'key.missing': 403,
  'key.invalid': 403,
  'key.scope': 403,
  'key.jurisdiction': 403,
  'rate.requests': 429,
  'body.too_large': 413,
  'body.key_late': 413,
  'body.type': 400,
  'body.utf8': 400,
  'body.malformed': 400,
  'url.encoding': 400,
  // Any parameter.
  'field.missing': 400,
  'field.repeated': 400,
  'field.too_long': 400,
  'field.too_many': 400,
  // Where, and what.
  'jurisdiction.unknown': 404,
  'jurisdiction.none': 404,
  'resource.unknown': 404,
  'service.unknown': 404,
  'request.unknown': 404,
  'token.unknown': 404,
  // A new request or a follower.
  'location.missing': 400,
  'location.incomplete': 400,
  'location.outside': 400,
  'coordinate.invalid': 400,
  'email.invalid': 400,
  'phone.invalid': 400,
  'locale.invalid': 400,
  'email_updates.invalid': 400,
  'email_updates.no_email': 400,
  'channel.invalid': 400,
  'service_object.incomplete': 400,
  'media_url.too_many': 400,
  'media_url.invalid': 400,
  'attribute.required': 400,
  'attribute.single': 400,
  'attribute.too_long': 400,
  'attribute.number': 400,
  'attribute.datetime': 400,
  'attribute.value': 400,
  // Photos.
  'photo.not_image': 400,
  'photo.too_many': 400,
  'photo.too_large': 413,
  'photo.storage_full': 413,
  'photo.daily_limit': 429,
  'photo.busy': 503,
  'photo.storage_unavailable': 503,
  // Status updates (FixMyStreet's servicerequestupdates).
  'update.status': 400,
  'update.empty': 400,
  // The filters of GET calls.
  'datetime.invalid': 400,
  'dates.order': 400,
  'dates.span': 400,
  'status.invalid': 400,
  'number.invalid': 400,
  'near.incomplete': 400,
  'bbox.invalid': 400,
  'bbox.with_near': 400,
  'area.missing': 400,
  'extensions.invalid': 400,
  // Ours.
  'store.full': 503,
  'server.internal': 500,
} as const satisfies Record<string, 400 | 403 | 404 | 413 | 429 | 500 | 503>;

export type Reason = keyof typeof REASONS;

/**
 * The refusals a resident can meet through the widget, whatever they type: the widget words each of them
 * in its own dictionary. The others come from a client's mistake (a repeated field, a filter), never from
 * what a resident did, and the widget shows them as a set-up problem.
 */
export type ResidentReason = Extract<
  Reason,
  | 'key.missing' | 'key.invalid' | 'key.scope' | 'key.jurisdiction' | 'jurisdiction.unknown' | 'field.missing'
  | 'rate.requests' | 'body.too_large' | 'field.too_long' | 'service.unknown' | 'request.unknown'
  | 'location.missing' | 'location.outside' | 'email.invalid' | 'phone.invalid'
  | 'attribute.required' | 'attribute.single' | 'attribute.too_long' | 'attribute.number' | 'attribute.datetime' | 'attribute.value'
  | 'photo.not_image' | 'photo.too_many' | 'photo.too_large' | 'photo.storage_full' | 'photo.daily_limit' | 'photo.busy'
  | 'photo.storage_unavailable'
  | 'store.full' | 'server.internal'
>;

/** One item of an Open311 error list as this server sends it (JSON; XML carries the same children). */
export interface ErrorItem {
  code: number;
  description: string;
  /** Absent from servers that do not send it: clients must not require it. */
  reason?: Reason;
  field?: string;
}
