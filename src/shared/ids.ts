import { randomBytes } from 'node:crypto';

/**
 * Ids are strings: a prefix that says what the thing is, then a time-ordered part
 * (so indexes stay append-mostly) and 64 random bits.
 */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
}
