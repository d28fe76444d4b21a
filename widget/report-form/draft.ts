/**
 * Everything the resident has entered, kept in local storage so a reload loses nothing; the photos
 * themselves are kept in IndexedDB (`photo-store.ts`), the draft saying how many there were.
 */
export interface ReportDraft {
  step: number;
  serviceCode: string | null;
  location: { lat: number | null; long: number | null; address: string };
  description: string;
  attributes: Record<string, string[]>;
  /** How many photos the resident had added: fewer found on a reload were lost, and the form says so. */
  photos: number;
  contact: {
    mode: 'anonymous' | 'person' | 'organisation';
    firstName: string;
    lastName: string;
    organisation: string;
    email: string;
    phone: string;
    consent: boolean;
    /** Asked for an e-mail when the report moves on (needs `email`). */
    emailUpdates: boolean;
  };
}

export function emptyDraft(): ReportDraft {
  return {
    step: 0,
    serviceCode: null,
    location: { lat: null, long: null, address: '' },
    description: '',
    attributes: {},
    photos: 0,
    contact: { mode: 'anonymous', firstName: '', lastName: '', organisation: '', email: '', phone: '', consent: false, emailUpdates: false },
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isCoordinate = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/** Reads a stored draft; anything missing, malformed or tampered with falls back to the empty value. */
export function loadDraft(storage: Storage | undefined, key: string): ReportDraft | null {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(key) ?? 'null');
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const d = raw as Partial<Record<keyof ReportDraft, unknown>>;
  const base = emptyDraft();
  const loc = (d.location ?? {}) as Record<string, unknown>;
  const contact = (d.contact ?? {}) as Record<string, unknown>;
  const attributes = Object.fromEntries(
    Object.entries((d.attributes ?? {}) as Record<string, unknown>).filter(
      (e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every(isString),
    ),
  );
  return {
    step: Number.isInteger(d.step) ? (d.step as number) : 0,
    serviceCode: isString(d.serviceCode) ? d.serviceCode : null,
    location: {
      lat: isCoordinate(loc.lat) ? loc.lat : null,
      long: isCoordinate(loc.long) ? loc.long : null,
      address: isString(loc.address) ? loc.address : '',
    },
    description: isString(d.description) ? d.description : '',
    attributes,
    photos: Number.isSafeInteger(d.photos) && (d.photos as number) > 0 ? (d.photos as number) : 0,
    contact: {
      mode: ['anonymous', 'person', 'organisation'].includes(contact.mode as string) ? (contact.mode as ReportDraft['contact']['mode']) : 'anonymous',
      firstName: isString(contact.firstName) ? contact.firstName : base.contact.firstName,
      lastName: isString(contact.lastName) ? contact.lastName : '',
      organisation: isString(contact.organisation) ? contact.organisation : '',
      email: isString(contact.email) ? contact.email : '',
      phone: isString(contact.phone) ? contact.phone : '',
      consent: contact.consent === true,
      emailUpdates: contact.emailUpdates === true,
    },
  };
}

export function saveDraft(storage: Storage | undefined, key: string, draft: ReportDraft): void {
  try {
    storage?.setItem(key, JSON.stringify(draft));
  } catch {
    // Storage full or forbidden (private mode): the draft lives on in memory only.
  }
}

export function clearDraft(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // as above
  }
}
