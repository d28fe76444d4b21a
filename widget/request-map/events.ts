/** Fired when the resident followed a request ("me too"). */
export class FollowedEvent extends Event {
  static readonly type = 'georeport-followed';
  constructor(readonly detail: { id: string; followers: number }) {
    super(FollowedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'georeport-followed': FollowedEvent;
  }
}
