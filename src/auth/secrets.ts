/** Random secrets and their digests: what is handed out once, and the only thing kept at rest. */
import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret with a readable prefix (`prn_…` tokens, session ids). */
export function randomSecret(prefix = '', bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
