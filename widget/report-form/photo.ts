import { readGps } from './exif-gps.ts';

export interface Photo {
  /** The re-encoded JPEG that is uploaded: scaled down, no metadata (a canvas keeps none). */
  blob: Blob;
  width: number;
  height: number;
  /** Where the original was taken, read from its EXIF before re-encoding. */
  gps: { lat: number; long: number } | null;
  /** The scaled image, drawn into preview canvases (no blob: or data: URL, so a strict CSP allows it). */
  bitmap: ImageBitmap;
}

export const MAX_SIDE = 2048;
/**
 * Files larger than this are refused before decoding: a 108-megapixel phone photo is about 30 MB, and
 * decoding more would take a phone's memory (the photo sent is about 1 MB whatever the original).
 */
export const MAX_FILE_MB = 40;

/** The steps of preparing a photo, in order: its progress is the index of the step under way. */
export const PREPARE_STEPS = ['reading', 'decoding', 'scaling', 'encoding'] as const;

/** Why a file was not taken. */
export class PhotoRefused extends Error {
  override readonly name = 'PhotoRefused';
  constructor(readonly reason: 'too_big' | 'not_image') {
    super(reason);
  }
}

/**
 * Reads a chosen file: its EXIF GPS position first, then the image scaled to at most MAX_SIDE and
 * re-encoded as JPEG, which drops every piece of metadata (camera, serial number, place). Decoding
 * (`createImageBitmap`) and encoding (`toBlob`) are asynchronous, off the main thread; the one
 * `drawImage` that scales is the only long task left on it (about 0.1 s for 27 megapixels, measured in
 * Chromium here; scaling with `createImageBitmap`'s resize options measured three to four times
 * longer on the main thread). `progress` is told as each step starts (an index into PREPARE_STEPS).
 *
 * @throws PhotoRefused `too_big` over MAX_FILE_MB, `not_image` when the browser cannot decode it.
 */
export async function preparePhoto(file: Blob, progress: (step: number) => void = () => undefined): Promise<Photo> {
  if (file.size > MAX_FILE_MB * 1024 * 1024) throw new PhotoRefused('too_big');
  progress(0);
  const gps = await readGps(file);
  progress(1);
  let source: ImageBitmap;
  try {
    source = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoRefused('not_image');
  }
  progress(2);
  // Let the bar show the step before the drawing holds the main thread (a hidden page has no frames).
  await new Promise((resolve) => {
    requestAnimationFrame(resolve);
    setTimeout(resolve, 100);
  });
  const scale = Math.min(1, MAX_SIDE / Math.max(source.width, source.height));
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(source, 0, 0, width, height);
  source.close();
  progress(3);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/jpeg', 0.85),
  );
  return { blob, width, height, gps, bitmap: await createImageBitmap(canvas) };
}

/** A photo kept from an earlier visit (its JPEG as prepared then), made ready to show and send again. */
export async function reopenPhoto(kept: Omit<Photo, 'bitmap'>): Promise<Photo> {
  return { ...kept, bitmap: await createImageBitmap(kept.blob) };
}
