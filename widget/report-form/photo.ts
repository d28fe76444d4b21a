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
 * Reads a chosen file: its EXIF GPS position first, then the image scaled to at most MAX_SIDE and
 * re-encoded as JPEG, which drops every piece of metadata (camera, serial number, place).
 * Throws when the file is not an image the browser can decode.
 */
export async function preparePhoto(file: Blob): Promise<Photo> {
  const gps = await readGps(file);
  const source = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, MAX_SIDE / Math.max(source.width, source.height));
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(source, 0, 0, width, height);
  source.close();
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), 'image/jpeg', 0.85),
  );
  return { blob, width, height, gps, bitmap: await createImageBitmap(canvas) };
}
