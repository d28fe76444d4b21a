import type { InboxSort } from '../../../server/shared/inbox.ts';

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

declare global {
  interface GlobalEventHandlersEventMap {
    'georeport-inbox-sort': InboxSortEvent;
    'georeport-inbox-open': InboxOpenEvent;
    'georeport-inbox-select': InboxSelectEvent;
    'georeport-inbox-bulk': InboxBulkEvent;
  }
}
