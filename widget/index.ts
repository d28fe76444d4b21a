/**
 * Defines every georeport element. A page may load the script twice (a CMS block and a theme, say):
 * an element already defined is left alone rather than throwing.
 */
import { GeoReportForm } from './report-form/georeport-form.ts';
import { GeoReportWidget } from './georeport-widget.ts';

const elements: [string, CustomElementConstructor][] = [
  ['georeport-form', GeoReportForm],
  ['georeport-widget', GeoReportWidget],
];
for (const [name, element] of elements) {
  if (!customElements.get(name)) customElements.define(name, element);
}

export { GeoReportForm, GeoReportWidget };
