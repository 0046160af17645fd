/**
 * A file name cut in two for a middle ellipsis: the head shrinks with an ellipsis, the tail
 * (the last characters and the extension) always shows, so `holiday-2024-…-0142.jpeg` keeps what
 * tells files apart. Both parts are plain text next to each other: the full name is what screen
 * readers read and what `textContent` gives.
 */

/** Characters kept before the extension in the tail. */
const KEEP = 6;

/** `[head, tail]` of a name; the tail is empty for short names. */
export function splitName(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.length - dot : 0;
  const tail = ext + KEEP;
  if (name.length <= tail + 4) return [name, ''];
  return [name.slice(0, -tail), name.slice(-tail)];
}
