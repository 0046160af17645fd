/**
 * Keeps the API key out of everything the gateway sends back or logs: the key itself in any
 * letter case, its hex form, and its base64 and base64url forms at any of the three byte
 * alignments (so the key inside a larger encoded string, e.g. `Basic …` or a token, is found
 * too). URL-encoding changes nothing in a key made of letters, digits, `_` and `-`.
 */

/** Replaces every occurrence of the secret. */
export const REDACTED = '[redacted]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** base64 of `key` at each of the three alignments, without the characters its neighbours change. */
function base64Cores(key: string): string[] {
  const cores: string[] = [];
  for (let shift = 0; shift < 3; shift += 1) {
    let encoded: string;
    try {
      encoded = btoa('\0'.repeat(shift) + key);
    } catch {
      return []; // not Latin-1: no base64 form to look for
    }
    const start = shift === 0 ? 0 : 4;
    const end = (shift + key.length) % 3 === 0 ? encoded.length : encoded.length - 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

/** A redactor for `secret`. */
export interface Redactor {
  /** `text` with every form of the secret replaced by `[redacted]`. */
  text(text: string): string;
  /** True when `text` holds any form of the secret. */
  leaks(text: string): boolean;
  /** A copy of a parsed JSON value with every string (and key) redacted. */
  json(value: unknown): unknown;
}

/** Builds a {@link Redactor} for `secret` (at least 4 characters). */
export function redactor(secret: string): Redactor {
  const hex = [...secret].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  const anyCase = new RegExp([secret, hex].map(escapeRegExp).join('|'), 'gi');
  const cores = base64Cores(secret);
  const exact = cores.length ? new RegExp(cores.map(escapeRegExp).join('|'), 'g') : null;
  const text = (s: string) => {
    const out = s.replace(anyCase, REDACTED);
    return exact ? out.replace(exact, REDACTED) : out;
  };
  const leaks = (s: string) => text(s) !== s;
  const json = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), json(v)]));
    }
    return value;
  };
  return { text, leaks, json };
}
