/** Which files get an image preview (kept apart from thumbnails.ts, which loads with the first preview). */

/** Types browsers can decode into a bitmap (HEIC/HEIF only where the browser can: a failure gives the icon). */
const decodable = /^image\/(jpeg|png|webp|gif|avif|bmp|heic|heif|x-icon|vnd\.microsoft\.icon)$/i;

/** True when a preview is worth trying for this content type. */
export function canPreview(contentType: string): boolean {
  return decodable.test(contentType);
}
