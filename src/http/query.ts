// Splits a raw query string into form-decoded (name, value) pairs, keeping order and repeats.
import { cosError } from '../errors/cos-error.ts';

/**
 * Form semantics: `+` is a space. The Python and Go SDKs form-encode query values and sign the
 * decoded value, while literal pluses always arrive as %2B (spec/signature.md §3.1).
 */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw cosError('InvalidURI', { detail: `undecodable query component ${s}` });
  }
}

export function parseQuery(raw: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
  }
  return pairs;
}
