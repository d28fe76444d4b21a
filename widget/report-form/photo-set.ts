import type { ReactiveControllerHost } from 'lit';
import type { Messages } from '../i18n/index.ts';
import { MAX_FILE_MB, PhotoRefused, preparePhoto, reopenPhoto, type Photo } from './photo.ts';
import { forgetPhotos, keepPhotos, keptPhotos } from './photo-store.ts';

/** A file being prepared, with the step it is at (an index into PREPARE_STEPS). */
export interface PendingPhoto {
  id: number;
  name: string;
  step: number;
}

export interface PhotoSetOptions {
  /** The most photos a report takes (`max-photos`). */
  max(): number;
  t(): Messages;
  /** The draft's key: photos are kept under it. */
  key(): string;
  /** The photos changed: the draft records how many, to tell a loss after a reload. */
  changed(count: number): void;
}

/**
 * The report's photos: files prepared one at a time (each shown with its progress meanwhile), the
 * ones refused said why (too big, not an image, too many) in the resident's language, removal, and
 * keeping them across a reload (see `photo-store.ts`). A new choice clears the last choice's messages
 * at once, so no stale error shows while photos are prepared. Each change asks `host` to render.
 */
export class PhotoSet {
  photos: Photo[] = [];
  pending: PendingPhoto[] = [];
  /** Why files of the last choice were not taken, one sentence each. */
  problems: string[] = [];
  /** What a reload brought back, or lost (shown on the photos step). */
  notice = '';
  /** Announced politely: a photo ready, a photo removed. */
  status = '';

  private nextId = 0;
  /** Files wait their turn: preparing several 27-megapixel photos at once would exhaust a phone. */
  private queue: Promise<void> = Promise.resolve();
  /** Writes to IndexedDB one after another, so the last change is the one kept. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PhotoSetOptions,
  ) {}

  /** The most photos a report takes. */
  get max(): number {
    return this.options.max();
  }

  /** Room left for photos, counting those still being prepared. */
  get room(): number {
    return Math.max(0, this.max - this.photos.length - this.pending.length);
  }

  /**
   * Takes the files chosen, dropped or shot: those beyond the room left are refused at once, the
   * others prepared in turn. Resolves with the photos added, once all are ready.
   */
  add(files: readonly File[]): Promise<Photo[]> {
    const t = this.options.t();
    this.problems = [];
    this.status = '';
    const taken = files.slice(0, this.room);
    if (files.length > taken.length) this.problems.push(t.photos.tooMany(this.max));
    const waiting = taken.map((file) => ({ file, item: { id: this.nextId++, name: file.name, step: 0 } }));
    this.pending = [...this.pending, ...waiting.map((w) => w.item)];
    this.host.requestUpdate();
    const added: Photo[] = [];
    const done = waiting.reduce(
      (queue, { file, item }) => queue.then(async () => {
        const photo = await this.prepare(file, item);
        if (photo) added.push(photo);
      }),
      this.queue,
    );
    this.queue = done;
    return done.then(() => added);
  }

  remove(photo: Photo) {
    const n = this.photos.indexOf(photo) + 1;
    this.photos = this.photos.filter((p) => p !== photo);
    this.problems = [];
    this.status = this.options.t().photoPicker.removed(n);
    this.changed();
  }

  /** Brings back the photos kept for this draft, `expected` being how many the draft had. */
  async restore(expected: number) {
    const kept = await keptPhotos(this.options.key());
    const photos = (await Promise.all(kept.map((k) => reopenPhoto(k).catch(() => null)))).filter((p): p is Photo => p !== null);
    this.photos = photos.slice(0, this.max);
    const t = this.options.t();
    const lost = expected - this.photos.length;
    this.notice = lost > 0 ? t.photoPicker.lost(lost) : this.photos.length > 0 ? t.photoPicker.restored(this.photos.length) : '';
    this.host.requestUpdate();
  }

  /** Empties the set and forgets what was kept (the report was sent or started over). */
  clear() {
    this.photos = [];
    this.problems = [];
    this.notice = this.status = '';
    const key = this.options.key();
    this.saving = this.saving.then(() => forgetPhotos(key));
    this.host.requestUpdate();
  }

  private async prepare(file: File, item: PendingPhoto): Promise<Photo | null> {
    const t = this.options.t();
    let photo: Photo | null = null;
    try {
      photo = await preparePhoto(file, (step) => {
        item.step = step;
        this.host.requestUpdate();
      });
      this.photos = [...this.photos, photo];
      this.status = t.photoPicker.ready(this.photos.length);
    } catch (e) {
      const tooBig = e instanceof PhotoRefused && e.reason === 'too_big';
      this.problems = [...this.problems, tooBig ? t.photoPicker.tooBig(file.name, MAX_FILE_MB) : t.photos.notImage(file.name)];
    }
    this.pending = this.pending.filter((p) => p !== item);
    this.changed();
    return photo;
  }

  private changed() {
    this.notice = '';
    this.options.changed(this.photos.length);
    const [key, photos] = [this.options.key(), this.photos];
    this.saving = this.saving.then(() => keepPhotos(key, photos));
    this.host.requestUpdate();
  }
}
