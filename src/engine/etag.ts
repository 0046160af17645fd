/**
 * Canonical ETag form: lowercase hex without quotes. S3 sends the single-PUT ETag as the
 * quoted MD5 hex (`"5d41…"`), other stores send it bare, some in upper case, and a weak
 * validator may carry a `W/` prefix; all of them mean the same MD5.
 */
export function normalizeEtag(etag: string): string {
  return etag
    .trim()
    .replace(/^W\//i, '')
    .replace(/^(\\?")+|(\\?")+$/g, '')
    .toLowerCase();
}
