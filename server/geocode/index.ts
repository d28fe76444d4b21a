/** The geocoder: a provider-neutral interface and its Base Adresse Nationale adapter. */
export { createBanGeocoder, toBanQuery, type BanGeocoderOptions } from './ban.ts';
export { parseBanFeatureCollection } from './ban-response.ts';
export {
  GeocoderError,
  type GeocodeKind,
  type GeocodeResult,
  type GeocodeSearchOptions,
  type Geocoder,
  type GeocoderErrorCode,
} from './geocoder.ts';
