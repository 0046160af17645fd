/**
 * Which files the engine accepts, and why it refuses the others. Pure functions, no DOM.
 */

/**
 * The largest object one S3 PUT can store: 5 GiB (AWS S3 "Uploading objects": a single PUT
 * is limited to 5 GB). Mixpeek has no multipart upload, so nothing larger can be uploaded.
 */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** Codes of `mixpeek-file-rejected`. */
export type RejectionCode = 'empty-file' | 'too-large' | 'type-not-accepted' | 'too-many-files' | 'duplicate';

/** Why a file was refused: a code for programs and a message for people. */
export interface Rejection {
  code: RejectionCode;
  message: string;
}

/** The limits a file is checked against. */
export interface FileRules {
  /** As on `<input type=file accept>`: `.ext`, `type/*` or `type/subtype`, comma-separated. */
  accept?: string | undefined;
  /** Bytes; larger files are refused. Never more than {@link MAX_SINGLE_PUT_BYTES}. */
  maxFileSize?: number | undefined;
  /** Files accepted in one session at most. */
  maxFiles?: number | undefined;
}

/** What the engine knows of a candidate file. */
export interface Candidate {
  name: string;
  size: number;
  /** The resolved content type (never empty). */
  contentType: string;
  /** Folder path within a dropped or picked folder, or the name. */
  relativePath: string;
  lastModified: number;
}

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** A byte count for messages: `5 GiB` style with 1024 steps and up to 2 decimals. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
  return `${shown} ${unit === 0 ? 'bytes' : units[unit]!.replace('B', 'iB')}`;
}

/** True when `file` matches an `accept` list as a file input would match it. */
export function matchesAccept(accept: string | undefined, name: string, contentType: string): boolean {
  const tokens = (accept ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tokens.length === 0) return true;
  const lowerName = name.toLowerCase();
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  return tokens.some((token) => {
    if (token.startsWith('.')) return lowerName.endsWith(token);
    if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1));
    return type === token;
  });
}

/** The identity used to refuse the same file twice: relative path, size and lastModified. */
export function duplicateKey(c: Pick<Candidate, 'relativePath' | 'size' | 'lastModified'>): string {
  return `${c.relativePath}\u0000${c.size}\u0000${c.lastModified}`;
}

/**
 * Checks one file against the rules. `acceptedSoFar` counts files already accepted in the
 * session; `seen` holds their {@link duplicateKey}s. Returns `null` when the file is accepted.
 */
export function checkFile(c: Candidate, rules: FileRules, acceptedSoFar: number, seen: { has(key: string): boolean }): Rejection | null {
  if (c.size === 0) {
    return { code: 'empty-file', message: `"${c.name}" is empty (0 bytes); Mixpeek only accepts files of at least 1 byte.` };
  }
  if (c.size > MAX_SINGLE_PUT_BYTES) {
    return {
      code: 'too-large',
      message: `"${c.name}" is ${c.size} bytes; one upload can be at most 5 GiB (${MAX_SINGLE_PUT_BYTES} bytes), the single-PUT limit of S3 storage.`,
    };
  }
  if (rules.maxFileSize != null && c.size > rules.maxFileSize) {
    return {
      code: 'too-large',
      message: `"${c.name}" is ${formatBytes(c.size)} (${c.size} bytes); the limit is ${formatBytes(rules.maxFileSize)} (${rules.maxFileSize} bytes).`,
    };
  }
  if (!matchesAccept(rules.accept, c.name, c.contentType)) {
    return {
      code: 'type-not-accepted',
      message: `"${c.name}" (${c.contentType}) is not an accepted type (${rules.accept}).`,
    };
  }
  if (seen.has(duplicateKey(c))) {
    return { code: 'duplicate', message: `"${c.relativePath}" is already in the list.` };
  }
  if (rules.maxFiles != null && acceptedSoFar >= rules.maxFiles) {
    return {
      code: 'too-many-files',
      message: `"${c.name}" was not added: at most ${rules.maxFiles} file${rules.maxFiles === 1 ? '' : 's'} can be uploaded.`,
    };
  }
  return null;
}
