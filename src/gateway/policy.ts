/**
 * What the gateway checks in a create request before Mixpeek is asked: the declared content
 * type and size of each item (`CreateUploadRequest.content_type` and `.file_size_bytes`,
 * Mixpeek OpenAPI 0.81), for single creates and for each item of a batch.
 */

/** The limits; see `GatewayOptions`. */
export interface CreatePolicy {
  /** Bytes. When set, every item must declare `file_size_bytes` ≤ this. */
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

/**
 * Checks a create body (`{filename, content_type, …}` or `{uploads: [...]}`) against the
 * policy. Returns a message for people when it is refused, else `null`.
 */
export function checkCreateBody(body: unknown, policy: CreatePolicy): string | null {
  if (!body || typeof body !== 'object') return 'The request body must be a JSON object.';
  const items = 'uploads' in body ? (body as { uploads: unknown }).uploads : [body];
  if (!Array.isArray(items)) return '`uploads` must be a list.';
  for (const [index, item] of items.entries()) {
    const where = items.length > 1 || 'uploads' in body ? `uploads[${index}]` : 'the upload';
    if (!item || typeof item !== 'object') return `${where} must be an object.`;
    const { content_type: contentType, file_size_bytes: size, filename } = item as Record<string, unknown>;
    const name = typeof filename === 'string' ? `"${filename}"` : where;
    if (policy.allowedContentTypes && !(typeof contentType === 'string' && contentTypeAllowed(contentType, policy.allowedContentTypes))) {
      return `${name}: content type ${JSON.stringify(contentType ?? null)} is not allowed here (allowed: ${policy.allowedContentTypes.join(', ')}).`;
    }
    if (policy.maxFileSize !== undefined) {
      if (typeof size !== 'number' || !Number.isFinite(size)) return `${name}: file_size_bytes is required here.`;
      if (size > policy.maxFileSize) return `${name} is ${size} bytes; the limit here is ${policy.maxFileSize} bytes.`;
    }
  }
  return null;
}
