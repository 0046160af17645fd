/**
 * The gateway's own answers, in Mixpeek's error envelope (Mixpeek OpenAPI 0.81,
 * `ErrorResponse`: `{success: false, status, error: {message, type, details}}`), so the element
 * shows a gateway refusal like any Mixpeek error: `error.message` is for people, `details` for
 * developers.
 */

/** An error answer in Mixpeek's envelope. */
export function refuse(
  status: number,
  type: string,
  message: string,
  details: Record<string, unknown> | null = null,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ success: false, status, error: { message, type, details } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** 404 in the envelope: unknown routes and malformed paths look alike. */
export const notFound = (): Response => refuse(404, 'NotFoundError', 'Not found.');
