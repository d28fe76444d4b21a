import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { Coloured } from '../colours.ts';
import { Configurable } from '../config.ts';
import { createClient, GeoReportError, type GeoReportClient } from '../api/client.ts';
import { createBanGeocoder, type AddressSuggestion, type Geocoder } from '../api/geocoder.ts';
import type { Attribute, Service } from '../api/types.ts';
import { languageOf, messagesFor, type Messages } from '../i18n/index.ts';
import { MapController, OSM_TILE_URL, parseCenter, tilesCredit, type LatLong } from '../map/index.ts';
import { formStyles } from '../styles/form.styles.ts';
import { mapStyles } from '../styles/map.styles.ts';
import { AddressSearchController } from './address-search.ts';
import type { StepContext } from './context.ts';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type ReportDraft } from './draft.ts';
import { SubmittedEvent, submittedDetail } from './events.ts';
import { categoryStep } from './steps/category.ts';
import { checkContact, contactStep } from './steps/contact.ts';
import { checkDetails, detailsStep } from './steps/details.ts';
import { checkLocation, locationStep, mapPanel } from './steps/location.ts';
import type { Photo } from './photo.ts';
import { photosStep } from './steps/photos.ts';
import { reviewStep } from './steps/review.ts';
import { fieldOfError, toFields } from './submission.ts';
import { DuplicatesController, duplicatesPanel } from './duplicates.ts';
import { resultScreen, type Outcome } from './result.ts';
import { deviceId, trackRequest } from '../tracking/tracked.ts';
import { reportsStyles } from '../styles/reports.styles.ts';

const STEPS = ['category', 'location', 'details', 'photos', 'contact', 'review'] as const;
/** The step each field is on, to send the resident back to the first problem the server found. */
const STEP_OF_FIELD = (field: string) =>
  field === 'service' ? 0 : field === 'address' ? 1 : field === 'description' || field.startsWith('attr-') ? 2 : 4;
/** What takes focus for a field in error: its control (a fieldset's first choice), or the first category. */
const FOCUS_OF_FIELD = (field: string) => (field === 'service' ? '.choices input' : `#${CSS.escape(field)}`);

/**
 * The report flow: category, location, details, photos, contact, review, then the tracking number.
 * Everything typed is kept in local storage until the report is sent.
 *
 * @event georeport-submitted - A report was accepted; `detail` has `id` (or `token` for batch services).
 * @csspart form - The form.
 * @csspart button - Every button.
 * @csspart map - The map (absent with `no-map`).
 * @cssproperty --georeport-map-height - The map's height (default 320px).
 * @cssproperty --georeport-accent - Buttons, focus ring and selection colour.
 * @cssproperty --georeport-font - Font family.
 */
export class GeoReportForm extends Coloured(Configurable(LitElement)) {
  static override styles = [formStyles, mapStyles, reportsStyles];
  static override properties: PropertyDeclarations = {
    geocoder: { attribute: false },
    step: { state: true },
    draft: { state: true },
    errors: { state: true },
    catalogue: { state: true },
    definition: { state: true },
    photos: { state: true },
    query: { state: true },
    status: { state: true },
    failure: { state: true },
    announcement: { state: true },
    result: { state: true },
  };

  /** A site's own geocoder, used instead of `geocoder-url`'s. */
  declare geocoder: Geocoder | null;
  declare step: number;
  declare draft: ReportDraft;
  declare errors: Record<string, string>;
  declare catalogue: Service[] | 'loading' | 'failed';
  declare definition: Attribute[];
  declare photos: Photo[];
  declare query: string;
  declare status: 'editing' | 'sending' | 'sent';
  declare failure: string;
  declare announcement: string;
  /** How the report ended, once it has: filed, or an existing one followed instead. */
  declare result: Outcome | null;

  private client: GeoReportClient | undefined;
  private language = 'en';
  private t: Messages = messagesFor('en');
  private definitionLoad: Promise<void> = Promise.resolve();
  private focusAfterRender: string | null = null;
  private banGeocoder: Geocoder | null = null;
  private map = new MapController(this, {
    settings: () => ({
      center: parseCenter(this.center),
      zoom: Number.isFinite(this.zoom) ? this.zoom : undefined,
      tileUrl: this.tileUrl || OSM_TILE_URL,
      labels: { map: this.t.location.map, role: this.t.location.mapRole, zoomIn: this.t.location.zoomIn, zoomOut: this.t.location.zoomOut, unavailable: this.t.mapKey.formUnavailable },
    }),
    pin: () => (this.draft.location.lat !== null && this.draft.location.long !== null ? { lat: this.draft.location.lat, long: this.draft.location.long } : null),
    onPlace: (at) => this.placePin(at),
  });
  private search = new AddressSearchController(this, () => this.geocoder ?? this.banGeocoder);
  private duplicates = new DuplicatesController(this);

  constructor() {
    super();
    this.geocoder = null;
    this.step = 0;
    this.draft = emptyDraft();
    this.errors = {};
    this.catalogue = 'loading';
    this.definition = [];
    this.photos = [];
    this.query = '';
    this.status = 'editing';
    this.failure = '';
    this.announcement = '';
    this.result = null;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.language = languageOf(this);
    this.t = messagesFor(this.language);
    const stored = loadDraft(this.storage, this.draftKey);
    if (stored && stored.serviceCode) {
      this.draft = stored;
      this.step = Math.min(Math.max(stored.step, 0), STEPS.length - 1);
      this.announcement = this.t.draft.restored;
    }
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('server') || changed.has('jurisdiction') || changed.has('apiKey') || !this.client) {
      this.client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, apiKey: this.apiKey || undefined, locale: this.language });
      void this.loadCatalogue();
    }
    if (changed.has('geocoderUrl')) {
      try {
        this.banGeocoder = this.geocoderUrl ? createBanGeocoder({ url: this.geocoderUrl }) : null;
      } catch {
        this.banGeocoder = null; // not a URL: free text only, as without a geocoder
      }
    }
  }

  override updated() {
    if (this.focusAfterRender) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.focusAfterRender);
      // A list of choices is a fieldset, which takes no focus: its first choice does.
      (target instanceof HTMLFieldSetElement ? target.querySelector('input') : target)?.focus();
      this.focusAfterRender = null;
    }
  }

  override render() {
    const t = this.t;
    if (this.status === 'sent' && this.result) return resultScreen(this.t, this.result, this.startOver);
    const name = STEPS[this.step]!;
    const errorCount = Object.keys(this.errors).length;
    return html`
      <form part="form" novalidate @submit=${this.onSubmit}>
        <h2 class="title">${t.title}</h2>
        <p class="progress">${t.stepOf(this.step + 1, STEPS.length)}</p>
        <h3 id="step-title" tabindex="-1">${t.steps[name]}</h3>
        <div class="live" role="status" aria-live="polite">${this.announcement}</div>
        ${errorCount > 0 ? html`<p class="error summary" role="alert">${t.fixErrors(errorCount)}</p>` : nothing}
        ${this.failure ? html`<p class="error summary" role="alert" id="failure" tabindex="-1">${this.failure}</p>` : nothing}
        <div class="step">${this.renderStep(this.context())}</div>
        <div class="nav">
          ${this.step > 0 ? html`<button type="button" part="button" class="secondary" @click=${() => this.goTo(this.step - 1)}>${t.back}</button>` : nothing}
          ${this.step < STEPS.length - 1
            ? html`<button type="submit" part="button">${t.next}</button>`
            : html`<button type="submit" part="button" ?disabled=${this.status === 'sending'}>${this.status === 'sending' ? t.sending : t.send}</button>`}
        </div>
        ${this.draft.serviceCode ? html`<p><button type="button" class="link" @click=${this.startOver}>${t.draft.discard}</button></p>` : nothing}
      </form>
    `;
  }

  private renderStep(ctx: StepContext): TemplateResult | typeof nothing {
    if (this.catalogue === 'loading') return html`<p>${this.t.category.loading}</p>`;
    if (this.catalogue === 'failed') {
      return html`<p class="error" role="alert">${this.t.category.loadError}</p>
        <button type="button" part="button" @click=${() => this.loadCatalogue()}>${this.t.category.retry}</button>`;
    }
    switch (STEPS[this.step]) {
      case 'category':
        return categoryStep(ctx, this.query, (q) => (this.query = q));
      case 'location':
        return html`${locationStep(ctx, this.noMap ? nothing : mapPanel(ctx, this.map, tilesCredit(this.attribution, this.tileUrl, this.t.location.osmAttribution)), this.search.enabled ? {
          suggestions: this.search.suggestions,
          status: this.search.status,
          input: (text) => this.search.input(text, this.near()),
          choose: (s) => this.chooseAddress(s),
          dismiss: () => this.search.clear(),
        } : null)}${duplicatesPanel(this.t, this.language, this.duplicates, {
          follow: (id) => void this.followInstead(id),
          different: () => {
            this.duplicates.dismiss();
            this.goTo(this.step + 1);
          },
        })}`;
      case 'details':
        return detailsStep(ctx);
      case 'photos':
        return photosStep(ctx, this.photos, this.maxPhotos, (photos) => (this.photos = photos));
      case 'contact':
        return contactStep(ctx, !this.contactRequired);
      default:
        return reviewStep(ctx, this.photos.length, (step) => this.goTo(step));
    }
  }

  private context(): StepContext {
    const offered = this.offered.split(',').map((s) => s.trim()).filter(Boolean);
    const services = Array.isArray(this.catalogue) ? this.catalogue.filter((s) => offered.length === 0 || offered.includes(s.service_code)) : [];
    return {
      t: this.t,
      lang: this.language,
      draft: this.draft,
      errors: this.errors,
      services,
      attributes: this.definition,
      update: (change) => {
        const next = structuredClone(this.draft);
        change(next);
        if (next.serviceCode !== this.draft.serviceCode) void this.loadDefinition(next.serviceCode);
        this.draft = next;
        saveDraft(this.storage, this.draftKey, { ...next, step: this.step });
      },
    };
  }

  /** The resident put the pin somewhere (map, keyboard, their location, a suggested address). */
  private placePin(at: LatLong) {
    this.context().update((d) => void (d.location = { ...d.location, lat: at.lat, long: at.long }));
    this.announcement = this.t.location.pinned(at.lat.toFixed(5), at.long.toFixed(5));
  }

  private chooseAddress(s: AddressSuggestion) {
    this.context().update((d) => void (d.location.address = s.label));
    this.placePin(s);
    this.search.clear();
    this.focusAfterRender = '#address';
  }

  /** Where addresses are looked for first: the pin, else the map's opening centre. */
  private near(): LatLong | null {
    const { lat, long } = this.draft.location;
    return lat !== null && long !== null ? { lat, long } : parseCenter(this.center);
  }

  private async loadCatalogue() {
    this.catalogue = 'loading';
    try {
      this.catalogue = await this.client!.services();
      await this.loadDefinition(this.draft.serviceCode);
    } catch {
      this.catalogue = 'failed';
    }
  }

  /** Loads the chosen service's questions; the details step waits for it before it checks anything. */
  private loadDefinition(code: string | null): Promise<void> {
    const service = Array.isArray(this.catalogue) ? this.catalogue.find((s) => s.service_code === code) : undefined;
    this.definitionLoad = (async () => {
      this.definition = service?.metadata ? (await this.client!.definition(service.service_code).catch(() => ({ attributes: [] }))).attributes : [];
    })();
    return this.definitionLoad;
  }

  /** Checks the current step; returns true when the resident may go on. */
  private check(step: number): boolean {
    const ctx = this.context();
    const errors =
      step === 0 ? (this.draft.serviceCode ? {} : { service: this.t.category.choose })
      : step === 1 ? checkLocation(ctx)
      : step === 2 ? checkDetails(ctx)
      : step === 4 ? checkContact(ctx, !this.contactRequired)
      : {};
    this.errors = errors;
    const first = Object.keys(errors)[0];
    if (first) this.focusAfterRender = FOCUS_OF_FIELD(first);
    return !first;
  }

  private goTo(step: number) {
    this.step = step;
    this.errors = {};
    this.failure = '';
    this.announcement = `${this.t.stepOf(step + 1, STEPS.length)} : ${this.t.steps[STEPS[step]!]}`;
    this.focusAfterRender = '#step-title';
    saveDraft(this.storage, this.draftKey, { ...this.draft, step });
  }

  private async onSubmit(e: Event) {
    e.preventDefault();
    if (STEPS[this.step] === 'details') await this.definitionLoad;
    if (!this.check(this.step)) return;
    if (STEPS[this.step] === 'location' && (await this.offerDuplicates())) return;
    if (this.step < STEPS.length - 1) return this.goTo(this.step + 1);
    await this.send();
  }

  /** Shows the open requests of the same kind nearby, when there are: true when the step should stay. */
  private async offerDuplicates(): Promise<boolean> {
    const { lat, long } = this.draft.location;
    if (!this.draft.serviceCode || !(await this.duplicates.offer(this.client!, this.draft.serviceCode, lat, long))) return false;
    this.announcement = this.t.duplicates.title;
    this.focusAfterRender = '#duplicates-title';
    return true;
  }

  /** The resident joins an existing request instead of filing theirs: the report ends there. */
  private async followInstead(id: string) {
    const followers = await this.duplicates.follow(this.client!, id);
    if (followers === null) return;
    trackRequest(this.server, this.jurisdiction, id, 'followed');
    clearDraft(this.storage, this.draftKey);
    this.result = { kind: 'followed', id, followers };
    this.status = 'sent';
    this.focusAfterRender = '#result-title';
  }

  private async send() {
    const t = this.t;
    this.status = 'sending';
    this.failure = '';
    try {
      const fields = toFields(this.draft, this.definition, { id: deviceId(), locale: this.language });
      const answer = await this.client!.submit(fields, this.photos.map((p) => p.blob));
      this.result = { kind: 'filed', answer, confirmEmail: fields.some(([name]) => name === 'email_updates') };
      this.status = 'sent';
      clearDraft(this.storage, this.draftKey);
      if (answer.service_request_id) trackRequest(this.server, this.jurisdiction, answer.service_request_id, 'filed');
      this.focusAfterRender = '#result-title';
      this.dispatchEvent(new SubmittedEvent(submittedDetail(answer)));
    } catch (err) {
      this.status = 'editing';
      if (!(err instanceof GeoReportError)) throw err;
      const byField = Object.fromEntries(err.errors.map((x) => [fieldOfError(x), x.description]).filter(([f]) => f));
      this.failure =
        err.kind === 'network' ? t.failure.network
        : err.kind === 'rate_limit' ? t.failure.rateLimit(err.retryAfter ?? 60)
        : err.kind === 'too_large' ? t.failure.tooLarge
        : err.kind === 'key' ? t.failure.key
        : err.kind === 'validation' ? t.failure.validation
        : t.failure.server;
      const fields = Object.keys(byField);
      if (fields.length > 0) {
        this.step = Math.min(...fields.map(STEP_OF_FIELD));
        this.errors = byField;
        this.focusAfterRender = FOCUS_OF_FIELD(fields.find((f) => STEP_OF_FIELD(f) === this.step)!);
      } else this.focusAfterRender = '#failure';
    }
  }

  private startOver = () => {
    clearDraft(this.storage, this.draftKey);
    this.draft = emptyDraft();
    this.photos = [];
    this.definition = [];
    this.result = null;
    this.status = 'editing';
    this.duplicates.dismiss(true);
    this.goTo(0);
  };

  private get storage(): Storage | undefined {
    try {
      return window.localStorage;
    } catch {
      return undefined;
    }
  }

  private get draftKey() {
    return `georeport-draft:${this.server}:${this.jurisdiction}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'georeport-form': GeoReportForm;
  }
}
