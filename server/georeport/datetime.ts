const W3C = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses a W3C datetime that carries its zone (`2026-05-01T08:30:00Z`, `…+02:00`, optional seconds and
 * fraction) into Unix seconds; undefined when malformed or not a real date.
 */
export function parseDatetime(text: string): number | undefined {
  const m = W3C.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const d = new Date(ms);
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month! - 1 && d.getUTCDate() === day &&
    hour! < 24 && minute! < 60 && second < 60;
  if (!real) return undefined;
  const offset = m[7] === 'Z' ? 0 : (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  if (Math.abs(offset) > 14 * 60 || Number(m[10]) > 59) return undefined;
  return Math.floor(ms / 1000) - offset * 60;
}

/** Unix seconds → `YYYY-MM-DDThh:mm:ssZ` (UTC, no fraction), as Open311 responses carry dates. */
export function formatDatetime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}
