/**
 * The body the gateway forwards: the browser's JSON parsed against its route's schema
 * (src/api/schemas.ts), checked against the site's policy, given the server's metadata, and
 * serialized again from the documented fields only.
 */
import {
  BatchConfirmSchema,
  BatchUploadSchema,
  ConfirmUploadSchema,
  CreateUploadSchema,
  type CreateUploadBody,
  parseRequest,
  type RequestIssue,
} from '../api/schemas.ts';
import { parseJsonText } from '../api/json-text.ts';
import { checkConfirmations, checkCreateItems, type CreatePolicy } from './policy.ts';
import type { RouteName } from './routes.ts';

/** Fields the server adds to every create item (the server's values win). */
export interface ServerFields {
  metadata?: Record<string, unknown> | undefined;
  objectMetadata?: Record<string, unknown> | undefined;
}

/** A confirmation as the gateway forwarded it. */
export interface ForwardedConfirmation {
  upload_id: string;
  etag: string | null;
  file_size_bytes: number | null;
}

/** The outcome: the text to forward (and the confirmations in it), or why the body is refused. */
export type BodyOutcome =
  | { ok: true; text: string; confirmations?: ForwardedConfirmation[] }
  | { ok: false; message: string; issues?: { path: string; message: string }[] };

const where = (path: RequestIssue['path']) => (path.length ? path.join('.') : 'body');

/** The first issue in plain words, and all of them for developers. */
function invalid(issues: RequestIssue[]): BodyOutcome {
  const list = issues.slice(0, 20).map((i) => ({ path: where(i.path), message: i.message }));
  const first = list[0]!;
  return { ok: false, message: `The request is not valid: ${first.path}: ${first.message}.`, issues: list };
}

function withServerFields<T extends CreateUploadBody>(item: T, server: ServerFields): T {
  const out = { ...item };
  if (server.metadata) out.metadata = { ...(item.metadata ?? {}), ...server.metadata };
  if (server.objectMetadata) out.object_metadata = { ...(item.object_metadata ?? {}), ...server.objectMetadata };
  return out;
}

/**
 * Checks `text`, the body of a POST to `route` (`uploadId` for a single confirm), and builds the
 * body to forward.
 */
export function buildBody(
  route: RouteName,
  text: string,
  uploadId: string | undefined,
  policy: CreatePolicy,
  server: ServerFields,
): BodyOutcome {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON (${(error as Error).message.slice(0, 120)}).` };
  }
  if (route === 'create') {
    const parsed = parseRequest(CreateUploadSchema, json);
    if (!parsed.ok) return invalid(parsed.issues);
    const problem = checkCreateItems([parsed.value], policy);
    if (problem) return { ok: false, message: problem };
    return { ok: true, text: JSON.stringify(withServerFields(parsed.value, server)) };
  }
  if (route === 'batchCreate') {
    const parsed = parseRequest(BatchUploadSchema, json);
    if (!parsed.ok) return invalid(parsed.issues);
    const problem = checkCreateItems(parsed.value.uploads, policy);
    if (problem) return { ok: false, message: problem };
    const uploads = parsed.value.uploads.map((item) => withServerFields(item, server));
    return { ok: true, text: JSON.stringify({ ...parsed.value, uploads }) };
  }
  if (route === 'confirm') {
    const parsed = parseRequest(ConfirmUploadSchema, json);
    if (!parsed.ok) return invalid(parsed.issues);
    const problem = checkConfirmations([parsed.value], policy);
    if (problem) return { ok: false, message: problem };
    const confirmation = { upload_id: uploadId!, etag: parsed.value.etag ?? null, file_size_bytes: parsed.value.file_size_bytes ?? null };
    return { ok: true, text: JSON.stringify(parsed.value), confirmations: [confirmation] };
  }
  const parsed = parseRequest(BatchConfirmSchema, json);
  if (!parsed.ok) return invalid(parsed.issues);
  const problem = checkConfirmations(parsed.value.confirmations, policy);
  if (problem) return { ok: false, message: problem };
  const confirmations = parsed.value.confirmations.map((c) => ({
    upload_id: c.upload_id,
    etag: c.etag ?? null,
    file_size_bytes: c.file_size_bytes ?? null,
  }));
  return { ok: true, text: JSON.stringify(parsed.value), confirmations };
}
