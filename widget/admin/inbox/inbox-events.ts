import type { InboxSort } from '../../../server/shared/inbox.ts';
import type { RequestSummary } from '../request-doc.ts';

const options = { bubbles: true, composed: true };

/** The list is to be sorted by a column (the column already sorted: the other way). */
export class InboxSortEvent extends Event {
  constructor(readonly key: InboxSort) {
    super('georeport-inbox-sort', options);
  }
}

/** A request of the list is to be opened beside it. */
export class InboxOpenEvent extends Event {
  constructor(readonly id: string) {
    super('georeport-inbox-open', options);
  }
}

/** The requests selected in the list changed (the whole selection, in the list's order). */
export class InboxSelectEvent extends Event {
  constructor(readonly ids: string[]) {
    super('georeport-inbox-select', options);
  }
}

/** An agent asked for a bulk action on the selection, and confirmed it when it is public or cannot be undone. */
export class InboxBulkEvent extends Event {
  constructor(readonly body: Record<string, unknown>) {
    super('georeport-inbox-bulk', options);
  }
}

/**
 * The request open beside the list is shown as it now is: loaded (`changed` false) or changed by an
 * action (`changed` true: the list and the queues are read again). Its assignee is who holds it.
 */
export class RequestShownEvent extends Event {
  constructor(readonly request: RequestSummary, readonly changed: boolean) {
    super('georeport-request-shown', options);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'georeport-request-shown': RequestShownEvent;
    'georeport-inbox-sort': InboxSortEvent;
    'georeport-inbox-open': InboxOpenEvent;
    'georeport-inbox-select': InboxSelectEvent;
    'georeport-inbox-bulk': InboxBulkEvent;
  }
}
