/**
 * JSON text from an untrusted sender, parsed with its nesting bounded. Used by the gateway and
 * the emulator before a body meets its schema (src/api/schemas.ts).
 */
import { MAX_JSON_DEPTH } from './schemas.ts';

/**
 * Parses JSON text whose arrays and objects nest at most `maxDepth` deep (counted before
 * parsing, so a 100,000-deep array costs one pass over the text, not the parser's stack).
 * Returns `undefined` for empty text.
 *
 * @throws SyntaxError for invalid JSON or deeper nesting (message says which).
 */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth += 1;
      if (depth > maxDepth) throw new SyntaxError(`JSON nested deeper than ${maxDepth} levels`);
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth -= 1;
  }
  if (text.trim() === '') return undefined;
  return JSON.parse(text);
}
