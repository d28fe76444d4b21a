/**
 * Defines every georeport element. A page may load the script twice (a CMS block and a theme, say):
 * an element already defined is left alone rather than throwing.
 */
import { GeoReportForm } from './report-form/georeport-form.ts';
import { GeoReportMap } from './request-map/georeport-map.ts';
import { GeoReportMyRequests } from './tracking/georeport-my-requests.ts';
import { GeoReportStatus } from './tracking/georeport-status.ts';
import { GeoReportWidget } from './georeport-widget.ts';

const elements: [string, CustomElementConstructor][] = [
  ['georeport-form', GeoReportForm],
  ['georeport-map', GeoReportMap],
  ['georeport-my-requests', GeoReportMyRequests],
  ['georeport-status', GeoReportStatus],
  ['georeport-widget', GeoReportWidget],
];
for (const [name, element] of elements) {
  if (!customElements.get(name)) customElements.define(name, element);
}

export { GeoReportForm, GeoReportMap, GeoReportMyRequests, GeoReportStatus, GeoReportWidget };
