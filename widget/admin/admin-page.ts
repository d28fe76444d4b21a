import { LitElement, html, nothing, type CSSResultGroup, type PropertyDeclarations } from 'lit';
import { AdminError, type AdminApi } from './api.ts';
import { adminStyles } from './admin.styles.ts';
import type { Tiles } from './admin-map.ts';
import { adminEn, type AdminTexts } from './texts.ts';

export type Role = 'administrator' | 'agent' | 'readonly';

/**
 * What every back-office page shares: the API, the jurisdiction and role it works in, the texts, a
 * polite status line for what happened, and a way to run an action that reports its outcome there
 * (with the server's problems, one per line).
 */
export class AdminPage extends LitElement {
  static override styles: CSSResultGroup = adminStyles;
  static override properties: PropertyDeclarations = {
    api: { attribute: false },
    jurisdiction: { type: String },
    staffRole: { type: String, attribute: 'staff-role' },
    t: { attribute: false },
    tiles: { attribute: false },
    staffId: { attribute: false },
    message: { state: true },
    problems: { state: true },
  };

  declare api: AdminApi;
  declare jurisdiction: string;
  declare staffRole: Role;
  declare t: AdminTexts;
  /** The tiles of the page's maps. */
  declare tiles: Tiles;
  /** Who is logged in (their staff id). */
  declare staffId: string;
  declare message: string;
  declare problems: string[];

  constructor() {
    super();
    this.t = adminEn;
    this.tiles = { url: '', attribution: '' };
    this.staffId = '';
    this.message = '';
    this.problems = [];
  }

  /**
   * Every page: its heading (one element for the page's life, so the focus put on it stays there while
   * the page loads), the status line, then its body.
   */
  override render() {
    return html`<h1 tabindex="-1">${this.heading()}</h1>${this.status()}${this.body()}`;
  }

  protected heading(): string {
    return '';
  }

  protected body(): unknown {
    return nothing;
  }

  /** `j/{jurisdiction}/{path}` for the API. */
  protected path(rest: string) {
    return `j/${this.jurisdiction}/${rest}`;
  }

  /**
   * Runs an action; its success says `done` (default "Saved."), its failure what the server said (or, for
   * a status in `refusals`, what that says).
   */
  protected async run<T>(action: () => Promise<T>, done: string = this.t.saved, refusals: Record<number, string> = {}): Promise<T | undefined> {
    this.problems = [];
    this.message = ''; // each outcome is announced afresh
    try {
      const result = await action();
      this.message = done;
      return result;
    } catch (e) {
      if (!(e instanceof AdminError)) throw e;
      this.message = refusals[e.status] ?? (e.status === 403 ? this.t.forbidden : this.t.failed(e.message));
      this.problems = e.problems;
      return undefined;
    }
  }

  /** The status line and the problems of the last action. */
  protected status() {
    return html`<div role="status" aria-live="polite" class=${this.problems.length ? 'error' : 'notice'} ?hidden=${!this.message}>
      ${this.message}${this.problems.length ? html`<ul>${this.problems.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}</div>`;
  }

  /** The value of a form's named control. */
  protected value(form: HTMLFormElement, name: string): string {
    const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
    return el?.value ?? '';
  }
}
