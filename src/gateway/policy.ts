/**
 * The site's limits on what browsers may upload, checked on validated bodies before Mixpeek is
 * asked: the declared content type and size of each create item (`CreateUploadRequest.
 * content_type` and `.file_size_bytes`, Mixpeek OpenAPI 0.81) and the size each confirm states
 * (`ConfirmUploadRequest.file_size_bytes`), which Mixpeek checks against the stored object.
 */

/** The limits; see `GatewayOptions`. */
export interface CreatePolicy {
  /** Bytes. When set, every create and confirm must state `file_size_bytes` ≤ this. */
  maxFileSize?: number | undefined;
  /** Exact types or `type/*` wildcards; unset allows any. */
  allowedContentTypes?: readonly string[] | undefined;
}

/** True when `contentType` (parameters ignored) matches one of `allowed`. */
export function contentTypeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    return p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p;
  });
}

/** What the policy reads of a create item. */
interface CreateItem {
  filename: string;
  content_type: string;
  file_size_bytes?: number | null | undefined;
}

/** Checks each create item; returns a message for people when one is refused, else `null`. */
export function checkCreateItems(items: readonly CreateItem[], policy: CreatePolicy): string | null {
  for (const item of items) {
    const name = `"${item.filename}"`;
    if (policy.allowedContentTypes && !contentTypeAllowed(item.content_type, policy.allowedContentTypes)) {
      return `${name}: files of type ${item.content_type} are not allowed here (allowed: ${policy.allowedContentTypes.join(', ')}).`;
    }
    const problem = sizeProblem(name, item.file_size_bytes, policy);
    if (problem) return problem;
  }
  return null;
}

/** Checks the size each confirmation states; returns a message for people, else `null`. */
export function checkConfirmations(
  items: readonly { upload_id?: string; file_size_bytes?: number | null | undefined }[],
  policy: CreatePolicy,
): string | null {
  for (const item of items) {
    const problem = sizeProblem(item.upload_id ?? 'the upload', item.file_size_bytes, policy);
    if (problem) return problem;
  }
  return null;
}

function sizeProblem(name: string, size: number | null | undefined, policy: CreatePolicy): string | null {
  if (policy.maxFileSize === undefined) return null;
  if (typeof size !== 'number') return `${name}: file_size_bytes is required here.`;
  if (size > policy.maxFileSize) return `${name} is ${size} bytes; the limit here is ${policy.maxFileSize} bytes.`;
  return null;
}
