/**
 * What the report form needs past its first step, loaded while the resident is on it
 * (`GeoReportForm.loadLater`): the other steps and their checks, the controllers behind them (the map,
 * the address lookups, duplicates, photos), sending, the screen after it, and their styles. About half
 * of the form's bytes, which a list of categories does not need, so the first step shows sooner on a phone.
 */
import { mapStyles } from '../styles/map.styles.ts';
import { photosStyles } from '../styles/photos.styles.ts';
import { reportsStyles } from '../styles/reports.styles.ts';

export { createBanGeocoder } from '../api/geocoder.ts';
export { MapController, OSM_TILE_URL, parseCenter, tilesCredit } from '../map/index.ts';
export { deviceId, trackRequest } from '../tracking/tracked.ts';
export { AddressSearchController } from './address-search.ts';
export { DuplicatesController, duplicatesPanel } from './duplicates.ts';
export { SubmittedEvent, submittedDetail } from './events.ts';
export { NearestAddressController } from './nearest-address.ts';
export { PhotoSet } from './photo-set.ts';
export { formFieldOf, wordRefusal } from './refusals.ts';
export { resultScreen } from './result.ts';
export { checkContact, contactStep } from './steps/contact.ts';
export { checkDetails, detailsStep } from './steps/details.ts';
export { checkLocation, locationStep, mapPanel, pinStatus } from './steps/location.ts';
export { photosStep } from './steps/photos.ts';
export { reviewStep } from './steps/review.ts';
export { toFields } from './submission.ts';

/** The later steps' sheets, adopted by the form's shadow root after its own once this module is there. */
export const laterStyles = [mapStyles, reportsStyles, photosStyles];
