// Leaflet 1.9 has no `module` field, so the widget imports its ES build by path (plain `leaflet` would
// pull the UMD build, which breaks the rollup bundle). That file ships without types: they are the
// `leaflet` package's (@types/leaflet).
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
