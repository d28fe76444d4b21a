export { currentPosition, type LatLong } from './geolocate.ts';
export { MapController, type MapControllerOptions, type MapSettings } from './map-controller.ts';
export { pinIcon } from './pin-icon.ts';
export { OSM_COPYRIGHT_URL, OSM_TILE_URL, parseCenter, tilesCredit } from './map-settings.ts';
