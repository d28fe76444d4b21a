import type { Reason } from '../shared/refusals.ts';
import type { Refusal, RefusalValues } from './georeport.errors.ts';

/** The languages refusals are described in; any other asks gets English. */
export const REFUSAL_LANGUAGES = ['en', 'fr'] as const;
export type RefusalLanguage = (typeof REFUSAL_LANGUAGES)[number];

type Describe = (field: string, v: RefusalValues) => string;

/**
 * The English descriptions: those every client has always read (each names the parameter at fault), so
 * they do not change. A photo's refusal is worded where the photo is read (`detail`).
 */
const EN: Record<Reason, Describe> = {
  'key.missing': () => 'api_key was not provided',
  'key.invalid': () => 'api_key is not valid',
  'key.scope': (_, v) => v.scope === 'updates'
    ? 'this api_key may not post status updates (it lacks the updates scope: ask the city for an integration key)'
    : 'this api_key may not file or follow requests (it lacks the report scope)',
  'key.jurisdiction': (_, v) => `api_key is not valid for jurisdiction_id ${v.jurisdiction}`,
  'rate.requests': (_, v) => `too many requests; try again in ${v.seconds} seconds`,
  'body.too_large': (_, v) => `the request body is larger than ${v.max} bytes`,
  'body.key_late': (_, v) => `more than ${v.max} bytes came before a valid api_key; send api_key first, or in the query string`,
  'body.type': () => 'the body must be application/x-www-form-urlencoded or multipart/form-data',
  'body.utf8': () => 'the body is not valid UTF-8',
  'body.malformed': () => 'the multipart/form-data body is malformed',
  'url.encoding': () => 'the request is not valid URL encoding (malformed %-escape or UTF-8)',
  'field.missing': (f) => `${f} was not provided`,
  'field.repeated': (f) => `${f} must be given only once`,
  'field.too_long': (f, v) => `${f} must be at most ${v.max} characters`,
  'field.too_many': (f, v) => `${f} lists more than ${v.max} items`,
  'jurisdiction.unknown': (_, v) => `jurisdiction_id ${v.value} is not served here`,
  'jurisdiction.none': () => 'no jurisdiction is configured on this server',
  'resource.unknown': (_, v) => `${v.method} ${v.path} is not a GeoReport resource (use .xml or .json)`,
  'service.unknown': (_, v) => `service_code ${v.value} is not a service of ${v.jurisdiction}`,
  'request.unknown': (_, v) => `service_request_id ${v.value} was not found`,
  'token.unknown': (_, v) => `token ${v.value} was not found`,
  'location.missing': () => 'a location is required: lat and long, address_string, address_id, or a photo carrying its GPS position',
  'location.incomplete': (f, v) => `${f} is required with ${v.with}`,
  'location.outside': (_, v) => String(v.message_en || `the location is outside the area of ${v.town}: report it to the town it is in`),
  'coordinate.invalid': (f, v) => `${f} must be a number between -${v.max} and ${v.max}`,
  'email.invalid': () => 'email is not a valid e-mail address',
  'phone.invalid': () => 'phone is not a valid phone number',
  'locale.invalid': () => 'locale must be a language code such as fr or en',
  'email_updates.invalid': () => 'email_updates must be true or false',
  'email_updates.no_email': () => 'email_updates needs an email',
  'channel.invalid': () => 'channel must be web, mobile or api',
  'service_object.incomplete': () => 'service_object_id and service_object_type must be given together',
  'media_url.too_many': (_, v) => `at most ${v.max} media_url may be given`,
  'media_url.invalid': () => 'media_url must be an absolute http(s) URL',
  'attribute.required': (_, v) => `attribute ${v.code} is required`,
  'attribute.single': (_, v) => `attribute ${v.code} takes a single value`,
  'attribute.too_long': (_, v) => `attribute ${v.code} must be at most ${v.max} characters`,
  'attribute.number': (_, v) => `attribute ${v.code} must be a number`,
  'attribute.datetime': (_, v) => `attribute ${v.code} must be a W3C datetime with a zone, such as 2026-05-01T08:30:00+02:00`,
  'attribute.value': (_, v) => `attribute ${v.code}: ${v.value} is not one of its values`,
  'photo.not_image': (_, v) => String(v.detail),
  'photo.too_many': (_, v) => String(v.detail),
  'photo.too_large': (_, v) => String(v.detail),
  'photo.storage_full': () => 'the photo storage of this server is full; send the report without photos',
  'photo.daily_limit': (_, v) => `this address has sent the most photos allowed in a day; send the report without photos or try again in ${v.seconds} seconds`,
  'photo.busy': (_, v) => `too many photos are being processed; try again in ${v.seconds} seconds`,
  'photo.storage_unavailable': (_, v) => `the photo storage of this server does not answer; try again in ${v.seconds} seconds or send the report without photos`,
  'update.status': (_, v) => `status ${v.value} is not a known status`,
  'update.empty': () => 'an update needs a status or a description',
  'datetime.invalid': (f) => `${f} must be a W3C datetime with a zone, such as 2026-05-01T08:30:00Z`,
  'dates.order': (f, v) => `${f} is before ${v.start}`,
  'dates.span': (f, v) => `${v.start} and ${f} may not span more than 90 days`,
  'status.invalid': (_, v) => `status must be open or closed (got ${v.value})`,
  'number.invalid': (f, v) => `${f} must be a ${v.whole ? 'whole number' : 'number'} from ${v.min} to ${v.max}`,
  'near.incomplete': () => 'lat, long and radius must be given together',
  'bbox.invalid': () => 'bbox must be minLon,minLat,maxLon,maxLat',
  'bbox.with_near': () => 'give either bbox or lat, long and radius, not both',
  'area.missing': () => 'bbox (or lat, long and radius) is required',
  'extensions.invalid': () => 'extensions must be true or false',
  'store.full': (_, v) => `the storage of this server is full; nothing was changed; try again in ${v.seconds} seconds`,
  'server.internal': () => 'internal error',
};

const photo = (v: RefusalValues) => (v.photo ? `la photo ${v.photo}` : 'une photo');

/** The French descriptions: the same facts, the same parameter names (they are what a client sends). */
const FR: Record<Reason, Describe> = {
  'key.missing': () => 'api_key n’a pas été fournie',
  'key.invalid': () => 'api_key n’est pas valide',
  'key.scope': (_, v) => v.scope === 'updates'
    ? 'cette api_key ne permet pas de publier des mises à jour d’état (il lui manque le droit updates : demandez une clé d’intégration à la ville)'
    : 'cette api_key ne permet ni de déposer ni de suivre des signalements (il lui manque le droit report)',
  'key.jurisdiction': (_, v) => `api_key n’est pas valide pour jurisdiction_id ${v.jurisdiction}`,
  'rate.requests': (_, v) => `trop de requêtes ; réessayez dans ${v.seconds} secondes`,
  'body.too_large': (_, v) => `le corps de la requête dépasse ${v.max} octets`,
  'body.key_late': (_, v) => `plus de ${v.max} octets sont arrivés avant une api_key valide ; envoyez api_key en premier, ou dans l’URL`,
  'body.type': () => 'le corps doit être application/x-www-form-urlencoded ou multipart/form-data',
  'body.utf8': () => 'le corps n’est pas de l’UTF-8 valide',
  'body.malformed': () => 'le corps multipart/form-data est mal formé',
  'url.encoding': () => 'la requête n’est pas un encodage d’URL valide (échappement % ou UTF-8 incorrect)',
  'field.missing': (f) => `${f} n’a pas été fourni`,
  'field.repeated': (f) => `${f} ne doit être donné qu’une fois`,
  'field.too_long': (f, v) => `${f} doit faire au plus ${v.max} caractères`,
  'field.too_many': (f, v) => `${f} compte plus de ${v.max} éléments`,
  'jurisdiction.unknown': (_, v) => `jurisdiction_id ${v.value} n’est pas servie ici`,
  'jurisdiction.none': () => 'aucune collectivité n’est configurée sur ce serveur',
  'resource.unknown': (_, v) => `${v.method} ${v.path} n’est pas une ressource GeoReport (utilisez .xml ou .json)`,
  'service.unknown': (_, v) => `service_code ${v.value} n’est pas un service de ${v.jurisdiction}`,
  'request.unknown': (_, v) => `service_request_id ${v.value} est introuvable`,
  'token.unknown': (_, v) => `le jeton ${v.value} est introuvable`,
  'location.missing': () => 'un lieu est requis : lat et long, address_string, address_id, ou une photo portant sa position GPS',
  'location.incomplete': (f, v) => `${f} est requis avec ${v.with}`,
  'location.outside': (_, v) => String(v.message_fr || `le lieu est en dehors du territoire de ${v.town} : signalez-le à la commune où il se trouve`),
  'coordinate.invalid': (f, v) => `${f} doit être un nombre entre -${v.max} et ${v.max}`,
  'email.invalid': () => 'email n’est pas une adresse e-mail valide',
  'phone.invalid': () => 'phone n’est pas un numéro de téléphone valide',
  'locale.invalid': () => 'locale doit être un code de langue comme fr ou en',
  'email_updates.invalid': () => 'email_updates doit valoir true ou false',
  'email_updates.no_email': () => 'email_updates demande un email',
  'channel.invalid': () => 'channel doit valoir web, mobile ou api',
  'service_object.incomplete': () => 'service_object_id et service_object_type doivent être donnés ensemble',
  'media_url.too_many': (_, v) => `au plus ${v.max} media_url peuvent être donnés`,
  'media_url.invalid': () => 'media_url doit être une URL http(s) absolue',
  'attribute.required': (_, v) => `l’attribut ${v.code} est obligatoire`,
  'attribute.single': (_, v) => `l’attribut ${v.code} ne prend qu’une valeur`,
  'attribute.too_long': (_, v) => `l’attribut ${v.code} doit faire au plus ${v.max} caractères`,
  'attribute.number': (_, v) => `l’attribut ${v.code} doit être un nombre`,
  'attribute.datetime': (_, v) => `l’attribut ${v.code} doit être une date W3C avec son fuseau, comme 2026-05-01T08:30:00+02:00`,
  'attribute.value': (_, v) => `attribut ${v.code} : ${v.value} ne fait pas partie de ses valeurs`,
  'photo.not_image': (_, v) => `${photo(v)} n’est pas une image que ce serveur sait lire (JPEG, PNG, WebP ou AVIF), ou elle est abîmée`,
  'photo.too_many': (_, v) => `${v.sent} photos ont été envoyées ; la limite est ${v.max}`,
  'photo.too_large': (_, v) => `${photo(v)} est plus grande que ce que ce serveur accepte`,
  'photo.storage_full': () => 'l’espace des photos de ce serveur est plein ; envoyez le signalement sans photo',
  'photo.daily_limit': (_, v) => `cette adresse a envoyé le nombre maximal de photos pour la journée ; envoyez le signalement sans photo ou réessayez dans ${v.seconds} secondes`,
  'photo.busy': (_, v) => `trop de photos sont en cours de traitement ; réessayez dans ${v.seconds} secondes`,
  'photo.storage_unavailable': (_, v) => `le stockage des photos de ce serveur ne répond pas ; réessayez dans ${v.seconds} secondes ou envoyez le signalement sans photo`,
  'update.status': (_, v) => `status ${v.value} n’est pas un état connu`,
  'update.empty': () => 'une mise à jour demande un status ou une description',
  'datetime.invalid': (f) => `${f} doit être une date W3C avec son fuseau, comme 2026-05-01T08:30:00Z`,
  'dates.order': (f, v) => `${f} est avant ${v.start}`,
  'dates.span': (f, v) => `${v.start} et ${f} ne peuvent pas couvrir plus de 90 jours`,
  'status.invalid': (_, v) => `status doit valoir open ou closed (reçu : ${v.value})`,
  'number.invalid': (f, v) => `${f} doit être un nombre${v.whole ? ' entier' : ''} de ${v.min} à ${v.max}`,
  'near.incomplete': () => 'lat, long et radius doivent être donnés ensemble',
  'bbox.invalid': () => 'bbox doit valoir minLon,minLat,maxLon,maxLat',
  'bbox.with_near': () => 'donnez soit bbox, soit lat, long et radius, pas les deux',
  'area.missing': () => 'bbox (ou lat, long et radius) est requis',
  'extensions.invalid': () => 'extensions doit valoir true ou false',
  'store.full': (_, v) => `l’espace de stockage de ce serveur est plein ; rien n’a été modifié ; réessayez dans ${v.seconds} secondes`,
  'server.internal': () => 'erreur interne',
};

const TEXTS: Record<RefusalLanguage, Record<Reason, Describe>> = { en: EN, fr: FR };

/** A refusal's description in `lang`. */
export function describeRefusal(refusal: Refusal, lang: RefusalLanguage): string {
  return TEXTS[lang][refusal.reason](refusal.field ?? '', refusal.values ?? {});
}
