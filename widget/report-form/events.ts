import type { Submitted } from '../api/types.ts';

/** Fired when a report was accepted by the server. */
export class SubmittedEvent extends Event {
  static readonly type = 'georeport-submitted';
  constructor(readonly detail: { id?: string; token?: string }) {
    super(SubmittedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'georeport-submitted': SubmittedEvent;
  }
}

export const submittedDetail = (s: Submitted) => ({ id: s.service_request_id, token: s.token });
