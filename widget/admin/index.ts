// The back office's bundle (dist/admin/admin.js, served at /admin/admin.js): separate from the widget,
// which residents load and which must stay small.
import { GeoReportAdmin } from './georeport-admin.ts';
import { AdminAccountPage } from './pages/account-page.ts';
import { AdminCataloguePage } from './pages/catalogue-page.ts';
import { AdminMap } from './admin-map.ts';
import { AdminPinMap } from './admin-pin-map.ts';
import { AdminBulkActions } from './inbox/bulk-actions.ts';
import { AdminInboxTable } from './inbox/inbox-table.ts';
import { AdminIntakePage } from './pages/intake-page.ts';
import { AdminRequestPage } from './pages/request-page.ts';
import { AdminRoutingPage } from './pages/routing-page.ts';
import { AdminServicePage } from './pages/service-page.ts';
import { AdminRequestsPage } from './pages/requests-page.ts';
import { AdminSettingsPage } from './pages/settings-page.ts';
import { AdminStatsPage } from './pages/stats-page.ts';

const elements: [string, CustomElementConstructor][] = [
  ['georeport-admin', GeoReportAdmin], ['georeport-admin-requests', AdminRequestsPage], ['georeport-admin-request', AdminRequestPage],
  ['georeport-admin-intake', AdminIntakePage], ['georeport-admin-catalogue', AdminCataloguePage], ['georeport-admin-stats', AdminStatsPage],
  ['georeport-admin-settings', AdminSettingsPage], ['georeport-admin-map', AdminMap], ['georeport-admin-pin-map', AdminPinMap], ['georeport-admin-routing', AdminRoutingPage],
  ['georeport-admin-service', AdminServicePage], ['georeport-admin-account', AdminAccountPage],
  ['georeport-admin-inbox-table', AdminInboxTable], ['georeport-admin-bulk', AdminBulkActions],
];
for (const [name, element] of elements) if (!customElements.get(name)) customElements.define(name, element);
