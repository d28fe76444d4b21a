/**
 * The widget's core, which the loader (`loader.ts`) imports: Lit, the drop-in `<georeport-widget>` and
 * the report form's first step. The other elements (`define.ts`), the form's later steps, each language's
 * texts and Leaflet are files of their own, loaded when first needed.
 */
import { define, defineWhenPresent } from './define.ts';
import { GeoReportWidget } from './georeport-widget.ts';
import { GeoReportForm } from './report-form/georeport-form.ts';

define('georeport-form', GeoReportForm);
define('georeport-widget', GeoReportWidget);
defineWhenPresent(document);
