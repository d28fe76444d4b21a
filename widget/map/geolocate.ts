/** A point in WGS 84, as the draft keeps it. */
export interface LatLong {
  lat: number;
  long: number;
}

/**
 * The device's position, once. Rejects when the browser has no geolocation, the resident or the
 * browser refuses it (headless Chromium does), or no fix comes within `timeoutMs`.
 */
export function currentPosition(timeoutMs = 15_000): Promise<LatLong> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('geolocation is not available'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, long: p.coords.longitude }),
      (err) => reject(new Error(err.message || 'geolocation failed')),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}
