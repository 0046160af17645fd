/**
 * A `filename` Mixpeek will take: 1–255 characters, no `\` and no `../` (Mixpeek's OpenAPI
 * 0.81, `CreateUploadRequest.filename`). One file with an odd name must not make Mixpeek
 * refuse its whole batch, so names are made safe before they are sent; the original name
 * stays available in the upload's metadata.
 */
export function safeFilename(name: string): string {
  let safe = name
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]/g, '') // control characters: refused by strict servers, invisible to people
    .replace(/[\\/]/g, '_')
    .replace(/\.\.(?=_|$)/g, '__');
  if (safe.trim() === '') safe = 'file';
  const chars = Array.from(safe); // code points, so an emoji is never cut in half
  if (chars.length <= 255) return safe;
  const dot = safe.lastIndexOf('.');
  const ext = dot > 0 && safe.length - dot <= 16 ? Array.from(safe.slice(dot)) : [];
  return chars.slice(0, 255 - ext.length).join('') + ext.join('');
}
