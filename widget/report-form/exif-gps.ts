/**
 * The GPS position in a JPEG's EXIF block, or null. Reads only the few bytes it needs (no library):
 * APP1 "Exif" → TIFF header → IFD0 → GPS IFD → latitude/longitude and their N/S, E/W references.
 */
export async function readGps(file: Blob): Promise<{ lat: number; long: number } | null> {
  const view = new DataView(await file.slice(0, 256 * 1024).arrayBuffer());
  try {
    return parse(view);
  } catch {
    return null; // truncated or odd EXIF: no position, never an error
  }
}

function parse(view: DataView): { lat: number; long: number } | null {
  if (view.getUint16(0) !== 0xffd8) return null;
  let offset = 2;
  while (offset + 4 < view.byteLength) {
    const marker = view.getUint16(offset);
    const size = view.getUint16(offset + 2);
    if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) return tiff(view, offset + 10);
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
    offset += 2 + size;
  }
  return null;
}

function tiff(view: DataView, start: number): { lat: number; long: number } | null {
  const little = view.getUint16(start) === 0x4949;
  const u16 = (o: number) => view.getUint16(start + o, little);
  const u32 = (o: number) => view.getUint32(start + o, little);
  const entries = (ifd: number) => Array.from({ length: u16(ifd) }, (_, i) => ifd + 2 + i * 12);
  const gpsPointer = entries(u32(4)).find((e) => u16(e) === 0x8825);
  if (gpsPointer === undefined) return null;
  const tags = new Map(entries(u32(gpsPointer + 8)).map((e) => [u16(e), e]));
  const ref = (tag: number) => String.fromCharCode(view.getUint8(start + tags.get(tag)! + 8));
  const degrees = (tag: number) => {
    const at = u32(tags.get(tag)! + 8);
    const [d, m, s] = [0, 1, 2].map((i) => u32(at + i * 8) / u32(at + i * 8 + 4));
    return d! + m! / 60 + s! / 3600;
  };
  if (![1, 2, 3, 4].every((t) => tags.has(t))) return null;
  const lat = degrees(2) * (ref(1) === 'S' ? -1 : 1);
  const long = degrees(4) * (ref(3) === 'W' ? -1 : 1);
  const valid = Number.isFinite(lat) && Number.isFinite(long) && Math.abs(lat) <= 90 && Math.abs(long) <= 180 && !(lat === 0 && long === 0);
  return valid ? { lat: Math.round(lat * 1e7) / 1e7, long: Math.round(long * 1e7) / 1e7 } : null;
}
