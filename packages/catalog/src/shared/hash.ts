import { createHash } from 'node:crypto';

/** Hex SHA-256 of a UTF-8 string. Hashing is deterministic, so it keeps modules pure. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
