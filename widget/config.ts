import type { LitElement, PropertyDeclarations } from 'lit';

/** The attributes a web editor sets, shared by `<georeport-widget>` and the `<georeport-form>` it passes them to. */
const CONFIG_PROPERTIES = {
  server: { type: String },
  jurisdiction: { type: String },
  apiKey: { type: String, attribute: 'api-key' },
  offered: { type: String, attribute: 'services' },
  noMap: { type: Boolean, attribute: 'no-map' },
  center: { type: String },
  zoom: { type: Number },
  tileUrl: { type: String, attribute: 'tile-url' },
  attribution: { type: String },
  geocoderUrl: { type: String, attribute: 'geocoder-url' },
  maxPhotos: { type: Number, attribute: 'max-photos' },
  contactRequired: { type: Boolean, attribute: 'contact-required' },
} as const;

/** A mixin takes any Lit element class; TypeScript requires `any[]` constructor arguments for mixins. */
export type LitConstructor = new (...args: any[]) => LitElement;

/** Adds the shared configuration properties, with their defaults, to a Lit element class. */
export function Configurable<T extends LitConstructor>(Base: T) {
  class ConfigurableElement extends Base {
    static properties: PropertyDeclarations = CONFIG_PROPERTIES;
    /** The georeport server's URL (default: the page's origin). */
    declare server: string;
    declare jurisdiction: string;
    /** A public client key (`georeport keys create`). */
    declare apiKey: string;
    /** Comma-separated service codes to offer (all when empty). */
    declare offered: string;
    declare noMap: boolean;
    /** `lat,long` the map opens on when there is no pin yet (the whole world when unset). */
    declare center: string;
    /** The map's opening zoom (default 15 on `center`). */
    declare zoom: number | undefined;
    /** Leaflet tile URL template (default OpenStreetMap's). */
    declare tileUrl: string;
    /** Credit for the tiles, shown as text (default OpenStreetMap's with the default tiles). */
    declare attribution: string;
    /** A Base Adresse Nationale API base (`https://api-adresse.data.gouv.fr/`): addresses are suggested. */
    declare geocoderUrl: string;
    declare maxPhotos: number;
    declare contactRequired: boolean;

    constructor(...args: any[]) {
      super(...args);
      Object.assign(this, { server: '', jurisdiction: '', apiKey: '', offered: '', noMap: false, center: '', zoom: undefined, tileUrl: '', attribution: '', geocoderUrl: '', maxPhotos: 4, contactRequired: false });
    }
  }
  return ConfigurableElement;
}
