/**
 * The empty drop target's line on what is accepted, from `accept`, `max-file-size` and
 * `max-files`: "Accepts images, PDF · up to 100 MB each · at most 10 files".
 */
import { MAX_SINGLE_PUT_BYTES } from '../engine/file-rules.ts';
import { formatSize, type UploaderStrings } from './strings.ts';

/** A readable list of an `accept` attribute: wildcards by name, types and extensions by their short name. */
export function describeAccept(accept: string, t: UploaderStrings, locale: string | undefined): string {
  const names = accept
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
    .map((part) => {
      const group = /^(image|video|audio|text)\/\*$/.exec(part)?.[1] as keyof UploaderStrings['typeGroups'] | undefined;
      if (group) return t.typeGroups[group];
      if (part.startsWith('.')) return part.slice(1).toUpperCase();
      const sub = part.split('/')[1] ?? part;
      return sub.toUpperCase();
    });
  return new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format([...new Set(names)]);
}

/** The parts of the accepted-files line, to be joined with " · ". */
export function describeLimits(
  o: { accept?: string | undefined; maxFileSize?: number | undefined; maxFiles?: number | undefined },
  t: UploaderStrings,
  locale: string | undefined,
): string[] {
  const limit = Math.min(o.maxFileSize && o.maxFileSize > 0 ? o.maxFileSize : MAX_SINGLE_PUT_BYTES, MAX_SINGLE_PUT_BYTES);
  const parts = [t.sizeLimit(formatSize(limit, locale))];
  if (o.accept?.trim()) parts.unshift(t.acceptsTypes(describeAccept(o.accept, t, locale)));
  if (o.maxFiles && o.maxFiles > 0) parts.push(t.countLimit(o.maxFiles));
  return parts;
}
