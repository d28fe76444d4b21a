import { LitElement, adoptStyles, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { Coloured } from '../colours.ts';
import { Configurable } from '../config.ts';
import { createClient, GeoReportError, type GeoReportClient } from '../api/client.ts';
import type { AddressSuggestion, Geocoder } from '../api/geocoder.ts';
import type { Attribute, Service, WidgetConfig } from '../api/types.ts';
import { Translated } from '../i18n/translated.ts';
import type { LatLong } from '../map/geolocate.ts';
import { formStyles } from '../styles/form.styles.ts';
import type { StepContext } from './context.ts';
import { clearDraft, emptyDraft, loadDraft, saveDraft, type ReportDraft } from './draft.ts';
import type { Photo } from './photo.ts';
import { categoryStep } from './steps/category.ts';
import { reportSetupProblem, setupProblemOf, type SetupProblem } from './setup-problems.ts';
import type { Outcome } from './result.ts';

const STEPS = ['category', 'location', 'details', 'photos', 'contact', 'review'] as const;
/** The step each field is on, to send the resident back to the first problem the server found. */
const STEP_OF_FIELD = (field: string) =>
  field === 'service' ? 0 : field === 'address' ? 1 : field === 'description' || field.startsWith('attr-') ? 2 : field === 'photos' ? 3 : 4;
/** What takes focus for a field in error: its control (a fieldset's first choice), or the first category. */
const FOCUS_OF_FIELD = (field: string) => (field === 'service' ? '.choices input' : `#${CSS.escape(field)}`);

/** The later steps' module (`later-steps.ts`), loaded while the resident is on the first step. */
type Later = typeof import('./later-steps.ts');

/** The later steps once loaded: their module and the controllers the form made from it. */
interface Flow {
  steps: Later;
  map: InstanceType<Later['MapController']>;
  nearest: InstanceType<Later['NearestAddressController']>;
  search: InstanceType<Later['AddressSearchController']>;
  duplicates: InstanceType<Later['DuplicatesController']>;
  photoSet: InstanceType<Later['PhotoSet']>;
}

/** Signs that a resident is about to use the form: the later steps start loading then. */
const FIRST_USE = ['pointerover', 'focusin'] as const;

/**
 * The report flow: category, location, details, photos, contact, review, then the tracking number.
 * Everything typed is kept in local storage until the report is sent. The first step comes with the
 * element; the code of the others loads as soon as the resident reaches for the form (a finger or the
 * mouse over it, or the focus in it), or at once when a restored draft is past the first step, and Next
 * waits for it if it is not there yet.
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
export class GeoReportForm extends Translated(Coloured(Configurable(LitElement))) {
  static override styles = [formStyles];
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
    waiting: { state: true },
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
  /** Next waits for the later steps' code (the form says it is busy, its button off). */
  declare waiting: boolean;

  private client: GeoReportClient | undefined;
  private definitionLoad: Promise<void> = Promise.resolve();
  private focusAfterRender: string | null = null;
  /** The administrator's words for a place outside the town, shown as written under the refusal. */
  private outsideNote = '';
  private banGeocoder: Geocoder | null = null;
  /** The later steps, once loaded, and their load while it runs. */
  private flow: Flow | null = null;
  private flowLoad: Promise<Flow> | undefined;
  /** A draft was brought back: said once the texts are there; its photos, once the photos' code is. */
  private restored = false;
  private photosToRestore = 0;

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
    this.waiting = false;
    for (const type of FIRST_USE) this.addEventListener(type, this.onFirstUse);
  }

  override connectedCallback() {
    super.connectedCallback();
    const stored = loadDraft(this.storage, this.draftKey);
    if (stored && stored.serviceCode) {
      this.draft = stored;
      this.step = Math.min(Math.max(stored.step, 0), STEPS.length - 1);
      this.restored = true;
      this.photosToRestore = stored.photos;
      if (this.step > 0 || stored.photos > 0) void this.loadRestoredSteps();
    }
  }

  /** The photos ready to send (prepared, kept across a reload). */
  get photos(): Photo[] {
    return this.flow?.photoSet.photos ?? [];
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('server') || changed.has('jurisdiction') || changed.has('apiKey') || !this.client) {
      this.client = createClient({ server: this.server || location.href, jurisdiction: this.jurisdiction || undefined, apiKey: this.apiKey || undefined, locale: this.language });
      void this.checkSetup();
      void this.loadCatalogue();
    }
    if (this.restored) {
      this.restored = false;
      this.announcement = this.t.draft.restored;
    }
    if (changed.has('geocoderUrl') && this.flow) this.banGeocoder = this.banGeocoderOf(this.flow.steps);
    // A pin set by a restored draft or a photo's place is told by its address too.
    this.flow?.nearest.follow(this.pin());
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
    if (this.status === 'sent' && this.result && this.flow) return this.flow.steps.resultScreen(this.t, this.language, this.result, (id) => this.client!.pageUrl(id), this.startOver);
    if (typeof this.setup === 'string') return this.setupProblem(this.setup);
    const name = STEPS[this.step]!;
    // One summary: what stopped the report, else how many fields need the resident.
    const errorCount = Object.keys(this.errors).length;
    const summary = this.failure || (errorCount > 0 ? t.fixErrors(errorCount) : '');
    return html`
      <form part="form" novalidate aria-busy=${this.waiting ? 'true' : nothing} @submit=${this.onSubmit}>
        <h2 class="title">${t.title}</h2>
        <p class="progress">${t.stepOf(this.step + 1, STEPS.length)}</p>
        <h3 id="step-title" tabindex="-1">${t.steps[name]}</h3>
        <div class="live" role="status" aria-live="polite">${this.announcement}</div>
        ${summary ? html`<p class="error summary" role="alert" id="failure" tabindex="-1">${summary}</p>` : nothing}
        <div class="step">${this.renderStep(this.context())}</div>
        <div class="nav">
          ${this.step > 0 ? html`<button type="button" part="button" class="secondary" @click=${() => this.goTo(this.step - 1)}>${t.back}</button>` : nothing}
          ${this.step < STEPS.length - 1
            ? html`<button type="submit" part="button" ?disabled=${this.waiting}>${t.next}</button>`
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
    if (STEPS[this.step] === 'category') return categoryStep(ctx, this.query, (q) => (this.query = q));
    // A restored draft past the first step, while the steps' code loads (the summary says if it could not).
    if (!this.flow) return this.failure ? nothing : html`<p id="steps-loading" role="status">${this.t.parts.loading}</p>`;
    const { steps, map, search, duplicates, photoSet } = this.flow;
    switch (STEPS[this.step]) {
      case 'location':
        return html`${steps.locationStep(ctx, this.noMap ? nothing : steps.mapPanel(ctx, map, steps.tilesCredit(this.attribution, this.tileUrl, this.t.location.osmAttribution)), search.enabled ? {
          suggestions: search.suggestions,
          status: search.status,
          input: (text) => search.input(text, this.near(steps)),
          choose: (s) => this.chooseAddress(s),
          dismiss: () => search.clear(),
        } : null, this.pinText())}${this.errors.address && this.outsideNote ? html`<p class="notice" id="outside-note">${this.outsideNote}</p>` : nothing}${steps.duplicatesPanel(this.t, this.language, duplicates, this.emailUpdates, {
          follow: (id) => void this.followInstead(id),
          different: () => {
            duplicates.dismiss();
            this.goTo(this.step + 1);
          },
        })}`;
      case 'details':
        return steps.detailsStep(ctx);
      case 'photos':
        return steps.photosStep(ctx, photoSet);
      case 'contact':
        return steps.contactStep(ctx, !this.contactRequired, this.emailUpdates);
      default:
        return steps.reviewStep(ctx, this.photos.length, this.reviewPin(), (step) => this.goTo(step));
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

  private onFirstUse = () => {
    for (const type of FIRST_USE) this.removeEventListener(type, this.onFirstUse);
    void this.loadLater().catch(() => undefined); // Next tries again, and says so if it still cannot
  };

  /**
   * Loads the later steps once (a failed load is tried again on the next call) and makes their
   * controllers, which join the form's lifecycle from then on.
   */
  private loadLater(): Promise<Flow> {
    this.flowLoad ??= import('./later-steps.ts').then((steps) => this.attach(steps), (err: unknown) => {
      this.flowLoad = undefined;
      console.error('georeport: the report form’s later steps could not load', err);
      throw err;
    });
    return this.flowLoad;
  }

  /** A draft restored past the first step needs its step's code at once: if it cannot load, the summary says so, and Next tries again. */
  private async loadRestoredSteps() {
    if (await this.loadLater().then(() => true, () => false)) return;
    await this.updateComplete; // the texts are there
    this.failure = this.t.parts.failed;
  }

  private attach(steps: Later): Flow {
    const flow: Flow = {
      steps,
      map: new steps.MapController(this, {
        settings: () => ({
          center: steps.parseCenter(this.center),
          zoom: Number.isFinite(this.zoom) ? this.zoom : undefined,
          tileUrl: this.tileUrl || steps.OSM_TILE_URL,
          labels: { map: this.t.location.map, role: this.t.location.mapRole, zoomIn: this.t.location.zoomIn, zoomOut: this.t.location.zoomOut, unavailable: this.t.mapKey.formUnavailable },
        }),
        pin: () => this.pin(),
        onPlace: (at) => this.placePin(at),
      }),
      nearest: new steps.NearestAddressController(this, {
        geocoder: () => this.geocoder ?? this.banGeocoder,
        address: () => this.draft.location.address,
        fill: (text) => this.context().update((d) => void (d.location.address = text)),
        words: (found) => this.t.place.near(found.label, found.kind === 'housenumber'),
        settled: () => this.announcePin(),
      }),
      search: new steps.AddressSearchController(this, () => this.geocoder ?? this.banGeocoder),
      duplicates: new steps.DuplicatesController(this),
      photoSet: new steps.PhotoSet(this, {
        max: () => this.maxPhotos,
        t: () => this.t,
        key: () => this.draftKey,
        changed: (count) => this.context().update((d) => void (d.photos = count)),
      }),
    };
    this.flow = flow;
    this.banGeocoder = this.banGeocoderOf(steps);
    // The steps' sheets after the form's own, in the order they were written for (Leaflet's, prepended
    // when a map first shows, cannot be there yet: the map is one of these steps).
    adoptStyles(this.renderRoot as ShadowRoot, [...GeoReportForm.elementStyles, ...steps.laterStyles]);
    if (this.photosToRestore > 0) void this.restorePhotos(flow, this.photosToRestore);
    this.photosToRestore = 0;
    this.requestUpdate();
    return flow;
  }

  /** The Base Adresse Nationale geocoder of `geocoder-url`, or none (no URL, or not a URL: free text only). */
  private banGeocoderOf(steps: Later): Geocoder | null {
    try {
      return this.geocoderUrl ? steps.createBanGeocoder({ url: this.geocoderUrl }) : null;
    } catch {
      return null;
    }
  }

  /** The pin as the draft has it (null: no pin yet). */
  private pin(): LatLong | null {
    const { lat, long } = this.draft.location;
    return lat !== null && long !== null ? { lat, long } : null;
  }

  /** Where the pin is, in words, or null without a pin. */
  private pinText(): string | null {
    const pin = this.pin();
    return pin && this.flow && this.flow.steps.pinStatus(this.t, pin, this.flow.nearest);
  }

  /** The pin as the review tells it: nothing when the address was found for it, else its place. */
  private reviewPin(): string | null {
    const pin = this.pin();
    const found = this.flow?.nearest.status === 'found' || this.flow?.nearest.status === 'chosen';
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
    this.flow?.nearest.follow(at);
    if (this.errors.address) {
      const { address: _done, ...rest } = this.errors;
      this.errors = rest;
    }
    this.announcePin();
  }

  private chooseAddress(s: AddressSuggestion) {
    this.context().update((d) => void (d.location.address = s.label));
    this.flow?.nearest.chosen(s);
    this.placePin(s);
    this.flow?.search.clear();
    this.focusAfterRender = '#address';
  }

  /** Where addresses are looked for first: the pin, else the map's opening centre. */
  private near(steps: Later): LatLong | null {
    return this.pin() ?? steps.parseCenter(this.center);
  }

  /** Brings the kept photos back after a reload, telling the resident plainly of any that were lost. */
  private async restorePhotos(flow: Flow, count: number) {
    await flow.photoSet.restore(count);
    await this.updateComplete; // the texts are there
    if (flow.photoSet.notice) this.announcement = `${this.t.draft.restored} ${flow.photoSet.notice}`;
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

  /** Checks a step (the first with none of the later steps' code); returns true when the resident may go on. */
  private check(step: number, steps?: Later): boolean {
    const ctx = this.context();
    const errors =
      step === 0 ? (this.draft.serviceCode ? {} : { service: this.t.category.choose })
      : step === 1 ? steps?.checkLocation(ctx)
      : step === 2 ? steps?.checkDetails(ctx)
      : step === 4 ? steps?.checkContact(ctx, !this.contactRequired)
      : undefined;
    this.errors = errors ?? {};
    const first = Object.keys(this.errors)[0];
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
    // No category yet: said at once, whether or not the next steps' code is there.
    if (this.step === 0 && !this.check(0)) return;
    const flow = this.flow ?? (await this.waitForLater());
    if (!flow) return;
    if (STEPS[this.step] === 'details') await this.definitionLoad;
    if (!this.check(this.step, flow.steps)) return;
    if (STEPS[this.step] === 'location' && (await this.offerDuplicates(flow))) return;
    if (this.step < STEPS.length - 1) return this.goTo(this.step + 1);
    await this.send(flow);
  }

  /** The later steps, once their code is there (null, said in the summary, when it could not load). */
  private async waitForLater(): Promise<Flow | null> {
    this.waiting = true;
    try {
      const flow = await this.loadLater();
      this.failure = '';
      return flow;
    } catch {
      this.failure = this.t.parts.failed;
      this.focusAfterRender = '#failure';
      return null;
    } finally {
      this.waiting = false;
    }
  }

  /** Shows the open requests of the same kind nearby, when there are: true when the step should stay. */
  private async offerDuplicates(flow: Flow): Promise<boolean> {
    const { lat, long } = this.draft.location;
    if (!this.draft.serviceCode || !(await flow.duplicates.offer(this.client!, this.draft.serviceCode, lat, long))) return false;
    this.announcement = this.t.duplicates.title;
    this.focusAfterRender = '#duplicates-title';
    return true;
  }

  /** The resident joins an existing request instead of filing theirs: the report ends there. */
  private async followInstead(id: string) {
    const { steps, duplicates, photoSet } = this.flow!; // the duplicates panel is part of the later steps
    const followed = await duplicates.follow(this.client!, id, this.t);
    if (followed === null) {
      if (duplicates.emailError) {
        this.focusAfterRender = '#duplicates-email';
        this.requestUpdate();
      }
      return;
    }
    steps.trackRequest(this.server, this.jurisdiction, id, 'followed');
    clearDraft(this.storage, this.draftKey);
    photoSet.clear();
    this.result = { kind: 'followed', id, ...followed };
    this.status = 'sent';
    this.focusAfterRender = '#result-title';
  }

  private async send({ steps, photoSet }: Flow) {
    this.status = 'sending';
    this.failure = '';
    try {
      const fields = steps.toFields(this.draft, this.definition, { id: steps.deviceId(), locale: this.language, emailUpdates: this.emailUpdates });
      const answer = await this.client!.submit(fields, this.photos.map((p) => p.blob));
      this.result = { kind: 'filed', answer, confirmEmail: fields.some(([name]) => name === 'email_updates') };
      this.status = 'sent';
      clearDraft(this.storage, this.draftKey);
      photoSet.clear();
      if (answer.service_request_id) steps.trackRequest(this.server, this.jurisdiction, answer.service_request_id, 'filed', answer.extended_attributes?.tracking_token);
      this.focusAfterRender = '#result-title';
      this.dispatchEvent(new steps.SubmittedEvent(steps.submittedDetail(answer)));
    } catch (err) {
      this.status = 'editing';
      if (!(err instanceof GeoReportError)) throw err;
      this.showRefusal(err, steps);
    }
  }

  /**
   * What the server refused, in the widget's words: each field's problem beside it, on the first step with
   * one (focused, the summary counting them); what is about no field (a limit, the key) in the summary.
   */
  private showRefusal(err: GeoReportError, steps: Later) {
    const t = this.t;
    const byField: Record<string, string> = {};
    const general: string[] = [];
    for (const e of err.errors) {
      const field = steps.formFieldOf(e);
      const label = this.definition.find((a) => `attr-${a.code}` === field)?.description;
      const text = steps.wordRefusal(t, e, { label, seconds: err.retryAfter });
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
    this.flow?.photoSet.clear();
    this.definition = [];
    this.result = null;
    this.status = 'editing';
    this.flow?.duplicates.dismiss(true);
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
