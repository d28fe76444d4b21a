import type { ActorKind, EditedField, EventAction } from '../../server/shared/casework.ts';

export type { ActorKind, EditedField, EventAction };

/** A request as staff lists see it (the server's `requestSummary`): the inbox's items and the start of a request in full. */
export interface RequestSummary {
  service_request_id: string;
  service_code: string;
  service_name: string;
  status: string;
  detailed_status: string;
  visibility: string;
  title: string | null;
  description: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  channel: string;
  requested_datetime: string;
  expected_datetime: string | null;
  assigned_department: number | null;
  followers: number;
  assignee: { id: string; name: string } | null;
}

/** A request as the back-office API gives it to staff (`GET …/requests/:id`), personal data included. */
export interface RequestDoc extends RequestSummary {
  external_id: string | null;
  duplicate_of: string | null;
  reporter: { kind: string; email: string | null; first_name: string | null; last_name: string | null; phone: string | null; organisation: string | null; locale: string | null } | null;
  attributes: { code: string; values: string[] }[];
  media: { id: string; media: string; hidden: boolean }[];
  history: HistoryEvent[];
}

export interface HistoryEvent {
  id: string;
  type: string;
  detailed_status: string | null;
  note: string | null;
  public: boolean;
  actor_kind: ActorKind;
  /** Null when who acted no longer exists (or is no one named). */
  actor_name: string | null;
  datetime: string;
  /** What a moderation or merge event did (null for other events), and the photo or request it names. */
  action: EventAction | null;
  ref: string | null;
  /** What an edit changed: each text before and after (null once erased by the retention policy). */
  changes: { field: EditedField; before: string | null; after: string | null; erased: boolean }[];
}

/** The templates a request may be answered with (`GET …/requests/:id/templates`): its category's, in its language. */
export interface OfferedTemplates {
  locale: string;
  templates: { detailed_status: string; text: string }[];
}
