import exifr from 'exifr';

/** A position in WGS 84 decimal degrees: south and west are negative. */
export interface GpsPosition {
  lat: number;
  long: number;
}

// sharp hands out the EXIF block of a JPEG, WebP, AVIF or HEIF with its "Exif\0\0" APP1 preamble,
// and a PNG's eXIf chunk without it; exifr reads the bare TIFF structure either way once the
// preamble is gone.
const EXIF_PREAMBLE = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];

/**
 * Reads the GPS position from an EXIF block as sharp's `metadata().exif` returns it. Reading the
 * block sharp already extracted (rather than the file) gives one code path for every container:
 * exifr alone does not find EXIF in WebP or AVIF files.
 *
 * A position is only returned when it is usable: finite, within ±90/±180, and not 0,0 — the value
 * many phones write when they have no fix, which would put the report in the Gulf of Guinea.
 *
 * @returns the position, or `null` when there is no EXIF, no GPS, or an unusable one.
 */
export async function readExifGps(exif: Buffer | undefined): Promise<GpsPosition | null> {
  if (!exif || exif.length < 8) return null;
  const tiff = EXIF_PREAMBLE.every((b, i) => exif[i] === b)
    ? exif.subarray(EXIF_PREAMBLE.length)
    : exif;
  let found: { latitude?: unknown; longitude?: unknown } | undefined;
  try {
    // exifr applies GPSLatitudeRef/GPSLongitudeRef: S and W come back negative.
    found = await exifr.gps(tiff);
  } catch {
    return null; // a malformed EXIF block is not a reason to refuse the photo, only to ignore its position
  }
  const lat = found?.latitude;
  const long = found?.longitude;
  if (typeof lat !== 'number' || typeof long !== 'number') return null;
  if (!Number.isFinite(lat) || !Number.isFinite(long)) return null;
  if (Math.abs(lat) > 90 || Math.abs(long) > 180) return null;
  if (lat === 0 && long === 0) return null;
  // Seven decimals is about a centimetre: more only carries the float noise of the DMS conversion.
  return { lat: round7(lat), long: round7(long) };
}

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;
