import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { Coloured } from '../colours.ts';
import { Configurable } from '../config.ts';
import { createClient, GeoReportError, type GeoReportClient } from '../api/client.ts';
import { createBanGeocoder, type AddressSuggestion, type Geocoder } from '../api/geocoder.ts';
import type { Attribute, Service, WidgetConfig } from '../api/types.ts';
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
import { checkLocation, locationStep, mapPanel, pinStatus } from './steps/location.ts';
import { NearestAddressController } from './nearest-address.ts';
import type { Photo } from './photo.ts';
import { photosStep } from './steps/photos.ts';
import { PhotoSet } from './photo-set.ts';
import { reviewStep } from './steps/review.ts';
import { toFields } from './submission.ts';
import { formFieldOf, reportSetupProblem, setupProblemOf, wordRefusal, type SetupProblem } from './refusals.ts';
import { DuplicatesController, duplicatesPanel } from './duplicates.ts';
import { resultScreen, type Outcome } from './result.ts';
import { deviceId, trackRequest } from '../tracking/tracked.ts';
import { reportsStyles } from '../styles/reports.styles.ts';
import { photosStyles } from '../styles/photos.styles.ts';

const STEPS = ['category', 'location', 'details', 'photos', 'contact', 'review'] as const;
/** The step each field is on, to send the resident back to the first problem the server found. */
const STEP_OF_FIELD = (field: string) =>
  field === 'service' ? 0 : field === 'address' ? 1 : field === 'description' || field.startsWith('attr-') ? 2 : field === 'photos' ? 3 : 4;
/** What takes focus for a field in error: its control (a fieldset's first choice), or the first category. */
const FOCUS_OF_FIELD = (field: string) => (field === 'service' ? '.choices input' : `#${CSS.escape(field)}`);

/**
 * The report flow: category, location, details, photos, contact, review, then the tracking number.
 * Everything typed is kept in local storage until the report is sent.
 *
 * @event georeport-submitted - A report was accepted; `detail` has `id` (or `token` for batch services).
 * @csspart form - The form.
 * @csspart button - Every button.
 * @csspart link - The link to the request's page, after sending.
 * @csspart map - The map (absent with `no-map`).
 * @cssproperty --georeport-map-height - The map's height (default 320px).
 * @cssproperty --georeport-accent - Buttons, focus ring and selection colour.
 * @cssproperty --georeport-font - Font family.
 */
export class GeoReportForm extends Coloured(Configurable(LitElement)) {
  static override styles = [formStyles, mapStyles, reportsStyles, photosStyles];
  static override properties: PropertyDeclarations = {
    geocoder: { attribute: false },
    step: { state: true },
    draft: { state: true },
    errors: { state: true },
    catalogue: { state: true },
    definition: { state: true },
    query: { state: true },
    status: { state: true },
    failure: { state: true },
    announcement: { state: true },
    result: { state: true },
    setup: { state: true },
  };

  /** A site's own geocoder, used instead of `geocoder-url`'s. */
  declare geocoder: Geocoder | null;
  declare step: number;
  declare draft: ReportDraft;
  declare errors: Record<string, string>;
  declare catalogue: Service[] | 'loading' | 'failed';
  declare definition: Attribute[];
  declare query: string;
  declare status: 'editing' | 'sending' | 'sent';
  declare failure: string;
  declare announcement: string;
  /** How the report ended, once it has: filed, or an existing one followed instead. */
  declare result: Outcome | null;
  /** What the server said when the form loaded (null while it is asked), or what keeps the form from working. */
  declare setup: WidgetConfig | SetupProblem | null;

  private client: GeoReportClient | undefined;
  private language = 'en';
  private t: Messages = messagesFor('en');
  private definitionLoad: Promise<void> = Promise.resolve();
  private focusAfterRender: string | null = null;
  /** The administrator's words for a place outside the town, shown as written under the refusal. */
  private outsideNote = '';
  private banGeocoder: Geocoder | null = null;
  private map = new MapController(this, {
    settings: () => ({
      center: parseCenter(this.center),
      zoom: Number.isFinite(this.zoom) ? this.zoom : undefined,
      tileUrl: this.tileUrl || OSM_TILE_URL,
      labels: { map: this.t.location.map, role: this.t.location.mapRole, zoomIn: this.t.location.zoomIn, zoomOut: this.t.location.zoomOut, unavailable: this.t.mapKey.formUnavailable },
    }),
    pin: () => this.pin(),
    onPlace: (at) => this.placePin(at),
  });
  private nearest = new NearestAddressController(this, {
    geocoder: () => this.geocoder ?? this.banGeocoder,
    address: () => this.draft.location.address,
    fill: (text) => this.context().update((d) => void (d.location.address = text)),
    words: (found) => this.t.place.near(found.label, found.kind === 'housenumber'),
    settled: () => this.announcePin(),
  });
  private search = new AddressSearchController(this, () => this.geocoder ?? this.banGeocoder);
  private duplicates = new DuplicatesController(this);
  private photoSet = new PhotoSet(this, {
    max: () => this.maxPhotos,
    t: () => this.t,
    key: () => this.draftKey,
    changed: (count) => this.context().update((d) => void (d.photos = count)),
  });

  constructor() {
    super();
    this.geocoder = null;
    this.step = 0;
    this.draft = emptyDraft();
    this.errors = {};
    this.catalogue = 'loading';
    this.definition = [];
    this.query = '';
    this.status = 'editing';
    this.failure = '';
    this.announcement = '';
    this.result = null;
    this.setup = null;
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
      if (stored.photos > 0) void this.restorePhotos(stored.photos);
    }
  }

  /** The photos ready to send (prepared, kept across a reload). */
  get photos(): Photo[] {
    return this.photoSet.photos;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('server') || changed.has('jurisdiction') || changed.has('apiKey') || !this.client) {
      this.client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, apiKey: this.apiKey || undefined, locale: this.language });
      void this.checkSetup();
      void this.loadCatalogue();
    }
    if (changed.has('geocoderUrl')) {
      try {
        this.banGeocoder = this.geocoderUrl ? createBanGeocoder({ url: this.geocoderUrl }) : null;
      } catch {
        this.banGeocoder = null; // not a URL: free text only, as without a geocoder
      }
    }
    // A pin set by a restored draft or a photo's place is told by its address too.
    this.nearest.follow(this.pin());
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
    if (this.status === 'sent' && this.result) return resultScreen(this.t, this.language, this.result, (id) => this.client!.pageUrl(id), this.startOver);
    if (typeof this.setup === 'string') return this.setupProblem(this.setup);
    const name = STEPS[this.step]!;
    // One summary: what stopped the report, else how many fields need the resident.
    const errorCount = Object.keys(this.errors).length;
    const summary = this.failure || (errorCount > 0 ? t.fixErrors(errorCount) : '');
    return html`
      <form part="form" novalidate @submit=${this.onSubmit}>
        <h2 class="title">${t.title}</h2>
        <p class="progress">${t.stepOf(this.step + 1, STEPS.length)}</p>
        <h3 id="step-title" tabindex="-1">${t.steps[name]}</h3>
        <div class="live" role="status" aria-live="polite">${this.announcement}</div>
        ${summary ? html`<p class="error summary" role="alert" id="failure" tabindex="-1">${summary}</p>` : nothing}
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
        } : null, this.pinText())}${this.errors.address && this.outsideNote ? html`<p class="notice" id="outside-note">${this.outsideNote}</p>` : nothing}${duplicatesPanel(this.t, this.language, this.duplicates, this.emailUpdates, {
          follow: (id) => void this.followInstead(id),
          different: () => {
            this.duplicates.dismiss();
            this.goTo(this.step + 1);
          },
        })}`;
      case 'details':
        return detailsStep(ctx);
      case 'photos':
        return photosStep(ctx, this.photoSet);
      case 'contact':
        return contactStep(ctx, !this.contactRequired, this.emailUpdates);
      default:
        return reviewStep(ctx, this.photos.length, this.reviewPin(), (step) => this.goTo(step));
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

  /** The pin as the draft has it (null: no pin yet). */
  private pin(): LatLong | null {
    const { lat, long } = this.draft.location;
    return lat !== null && long !== null ? { lat, long } : null;
  }

  /** Where the pin is, in words, or null without a pin. */
  private pinText(): string | null {
    const pin = this.pin();
    return pin && pinStatus(this.t, pin, this.nearest);
  }

  /** The pin as the review tells it: nothing when the address was found for it, else its place. */
  private reviewPin(): string | null {
    const pin = this.pin();
    const found = this.nearest.status === 'found' || this.nearest.status === 'chosen';
    return !pin || (found && this.draft.location.address) ? null : this.t.location.pinned(pin.lat.toFixed(5), pin.long.toFixed(5));
  }

  private announcePin() {
    this.announcement = this.pinText() ?? '';
  }

  /** Whether the server sends e-mail, so that updates by e-mail may be offered. */
  private get emailUpdates(): boolean {
    return typeof this.setup === 'object' && this.setup !== null && this.setup.email_updates;
  }

  /** The form's place, when the key, the town or the server keeps it from working: said to residents and, in the console, to the editor. */
  private setupProblem(problem: SetupProblem) {
    const t = this.t;
    return html`
      <section part="form" class="setup">
        <h2 class="title">${t.title}</h2>
        <p class="error summary" role="alert" id="setup-problem"><strong>${t.setup.unavailable}</strong> ${t.setup[problem]}</p>
        ${problem === 'unreachable' ? html`<button type="button" part="button" @click=${() => this.checkSetup()}>${t.setup.retry}</button>` : nothing}
      </section>
    `;
  }

  /**
   * Asks the server, as the form loads, whether it can file reports here (the key, its scope, the town) and
   * what it offers. What a web editor can fix is shown at once; anything else (an older server, a busy one)
   * lets the form go on without e-mail updates, and Send says what is wrong if anything still is.
   */
  private async checkSetup() {
    this.setup = null;
    try {
      const config = await this.client!.widgetConfig();
      this.setup = config.report ? config : 'key.missing';
    } catch (err) {
      this.setup = setupProblemOf(err) ?? { jurisdiction_id: this.jurisdiction, report: true, email_updates: false, max_photos: this.maxPhotos, outside_message: null };
    }
    if (typeof this.setup === 'string') reportSetupProblem(this.setup, this.server || location.href);
    else if (this.catalogue === 'failed') void this.loadCatalogue();
  }

  /**
   * The resident put the pin somewhere (map, keyboard, their location, a suggested address): its address
   * is looked up, and "give an address or place the pin" no longer applies.
   */
  private placePin(at: LatLong) {
    this.context().update((d) => void (d.location = { ...d.location, lat: at.lat, long: at.long }));
    this.nearest.follow(at);
    if (this.errors.address) {
      const { address: _done, ...rest } = this.errors;
      this.errors = rest;
    }
    this.announcePin();
  }

  private chooseAddress(s: AddressSuggestion) {
    this.context().update((d) => void (d.location.address = s.label));
    this.nearest.chosen(s);
    this.placePin(s);
    this.search.clear();
    this.focusAfterRender = '#address';
  }

  /** Where addresses are looked for first: the pin, else the map's opening centre. */
  private near(): LatLong | null {
    const { lat, long } = this.draft.location;
    return lat !== null && long !== null ? { lat, long } : parseCenter(this.center);
  }

  /** Brings the kept photos back after a reload, telling the resident plainly of any that were lost. */
  private async restorePhotos(count: number) {
    await this.photoSet.restore(count);
    if (this.photoSet.notice) this.announcement = `${this.t.draft.restored} ${this.photoSet.notice}`;
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
    const followed = await this.duplicates.follow(this.client!, id, this.t);
    if (followed === null) {
      if (this.duplicates.emailError) {
        this.focusAfterRender = '#duplicates-email';
        this.requestUpdate();
      }
      return;
    }
    trackRequest(this.server, this.jurisdiction, id, 'followed');
    clearDraft(this.storage, this.draftKey);
    this.photoSet.clear();
    this.result = { kind: 'followed', id, ...followed };
    this.status = 'sent';
    this.focusAfterRender = '#result-title';
  }

  private async send() {
    this.status = 'sending';
    this.failure = '';
    try {
      const fields = toFields(this.draft, this.definition, { id: deviceId(), locale: this.language, emailUpdates: this.emailUpdates });
      const answer = await this.client!.submit(fields, this.photos.map((p) => p.blob));
      this.result = { kind: 'filed', answer, confirmEmail: fields.some(([name]) => name === 'email_updates') };
      this.status = 'sent';
      clearDraft(this.storage, this.draftKey);
      this.photoSet.clear();
      if (answer.service_request_id) trackRequest(this.server, this.jurisdiction, answer.service_request_id, 'filed', answer.extended_attributes?.tracking_token);
      this.focusAfterRender = '#result-title';
      this.dispatchEvent(new SubmittedEvent(submittedDetail(answer)));
    } catch (err) {
      this.status = 'editing';
      if (!(err instanceof GeoReportError)) throw err;
      this.showRefusal(err);
    }
  }

  /**
   * What the server refused, in the widget's words: each field's problem beside it, on the first step with
   * one (focused, the summary counting them); what is about no field (a limit, the key) in the summary.
   */
  private showRefusal(err: GeoReportError) {
    const t = this.t;
    const byField: Record<string, string> = {};
    const general: string[] = [];
    for (const e of err.errors) {
      const field = formFieldOf(e);
      const label = this.definition.find((a) => `attr-${a.code}` === field)?.description;
      const text = wordRefusal(t, e, { label, seconds: err.retryAfter });
      if (field === undefined) general.push(text);
      else byField[field] ??= text;
    }
    // Out of the area: the widget's words beside the field, then the administrator's as written.
    const outside = err.errors.some((e) => e.reason === 'location.outside') && typeof this.setup === 'object' ? this.setup?.outside_message : null;
    this.outsideNote = outside ?? '';
    const fields = Object.keys(byField);
    this.failure = err.kind === 'network' ? t.failure.network : general.join(' ') || (fields.length > 0 ? '' : t.failure.server);
    if (fields.length > 0) {
      this.step = Math.min(...fields.map(STEP_OF_FIELD));
      this.errors = byField;
      this.focusAfterRender = FOCUS_OF_FIELD(fields.find((f) => STEP_OF_FIELD(f) === this.step)!);
    } else this.focusAfterRender = '#failure';
  }

  private startOver = () => {
    clearDraft(this.storage, this.draftKey);
    this.draft = emptyDraft();
    this.photoSet.clear();
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
