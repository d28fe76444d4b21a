import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random secret (192 bits), with a short prefix saying what it is for (`grk_` keys, `grb_` bus apps). */
export const newSecret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

/** Secrets are random, so a plain SHA-256 is a sound at-rest hash: there is nothing to brute-force. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Whether a secret given by a caller is the expected one, in a time that does not depend on where they differ. */
export const sameSecret = (given: string, expected: string) => {
  const [a, b] = [Buffer.from(hashSecret(given)), Buffer.from(hashSecret(expected))];
  return timingSafeEqual(a, b);
};
