/**
 * A request's casework vocabulary, shared by the server (edits, the history it names) and the back office
 * (its edit form, the history it words): TypeScript only, no Node API.
 */

/** The resident's texts an agent may edit (moderation takes personal data out of them). */
export const EDITED_FIELDS = ['title', 'description', 'address'] as const;
export type EditedField = (typeof EDITED_FIELDS)[number];

/** Who made an event, by kind; the back office words each kind with its name. */
export type ActorKind = 'staff' | 'app' | 'bus' | 'resident' | 'system' | 'demo' | 'unknown';

/**
 * What a moderation or merge event did, for the back office to word: published, rejected (its note is the
 * reason), texts edited, a photo hidden (`ref`: its number), merged into another (`ref`: that request) or
 * another merged into this one (`ref`: the duplicate).
 */
export type EventAction = 'published' | 'rejected' | 'edited' | 'photo_hidden' | 'merged_into' | 'merged_here';
