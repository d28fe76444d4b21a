import type { Attribute, Service } from '../api/types.ts';
import type { Messages } from '../i18n/index.ts';
import type { ReportDraft } from './draft.ts';

/** What every step's template reads, and the one way it changes the draft. */
export interface StepContext {
  t: Messages;
  lang: string;
  draft: ReportDraft;
  /** Messages by field id (`service`, `address`, `description`, `attr-CODE`, `email`…). */
  errors: Record<string, string>;
  services: Service[];
  attributes: Attribute[];
  /** Applies a change to the draft, saves it and re-renders. */
  update(change: (draft: ReportDraft) => void): void;
}

/** `aria-describedby` for a field: its hint and, when it has one, its error message. */
export const describedBy = (ctx: StepContext, id: string, hint = true) =>
  [hint ? `${id}-hint` : '', ctx.errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
