/**
 * Header hygiene. Every value that reaches a mail header (subject, names, addresses, custom headers)
 * goes through `headerValue`, which replaces line breaks of every kind with a space: a customer name
 * such as "Acme\r\nBcc: everyone@example.com" cannot start a header of its own.
 */

/** CR, LF, NUL, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR and other C0 controls except tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const BREAKS = /[\u0000-\u0008\u000A-\u001F\u007F\u0085\u2028\u2029]+/g;

export function headerValue(text: string): string {
  return text
    .replace(BREAKS, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Why an address cannot be mailed (after header hygiene), or null when it looks deliverable. */
export function addressProblem(address: string | null): string | null {
  if (address === null || address.trim() === '') return 'no recipient address';
  if (address !== headerValue(address))
    return 'the recipient address contains a line break or control character';
  if (!ADDRESS.test(address)) return `${JSON.stringify(address)} is not an email address`;
  return null;
}

/** The domain part of a From value such as `Perennial <renewals@example.com>`. */
export function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)/.exec(from);
  return match?.[1]?.toLowerCase() ?? 'localhost';
}
