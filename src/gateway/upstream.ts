/**
 * One call to Mixpeek, treated as untrusted as the browser: redirects are not followed (the key
 * would go with them), the call is cut after a timeout or when the browser gives up, the answer
 * is read up to a byte cap, only JSON is accepted, and only the listed headers come back, never
 * one holding the key.
 */
import { parseJsonText } from '../api/json-text.ts';
import { readCapped } from './body.ts';
import type { Redactor } from './redact.ts';

/**
 * Response headers passed back from Mixpeek (docs.mixpeek.com/operations/rate-limits-quotas),
 * each with the values it may have: seconds or an HTTP date for `Retry-After`, short tokens
 * for the rate-limit headers.
 */
const PASSED_HEADERS: Record<string, RegExp> = {
  'retry-after': /^(\d{1,9}|[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)$/,
  'x-ratelimit-limit': /^[\w.:-]{1,40}$/,
  'x-ratelimit-remaining': /^[\w.:-]{1,40}$/,
  'x-ratelimit-reset': /^[\w.:-]{1,40}$/,
  'x-ratelimit-window': /^[\w.:-]{1,40}$/,
};

/** Deepest JSON nesting accepted from Mixpeek (task outputs have no documented shape). */
const MAX_ANSWER_DEPTH = 64;

/** Mixpeek's answer, checked. */
export type UpstreamAnswer =
  | { ok: true; status: number; headers: Record<string, string>; json: unknown }
  | { ok: false; status: 502 | 504; message: string };

/** What {@link callUpstream} needs. */
export interface UpstreamCall {
  fetch: typeof fetch;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** ms before the call is given up (504). */
  timeoutMs: number;
  /** Largest answer read, bytes (502 beyond). */
  maxBytes: number;
  /** The browser's request: when it is aborted, so is the call. */
  signal: AbortSignal | undefined;
  redact: Redactor;
}

/** Calls Mixpeek and checks its answer. */
export async function callUpstream(call: UpstreamCall): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeoutMs);
  const onAbort = () => controller.abort();
  call.signal?.addEventListener('abort', onAbort);
  if (call.signal?.aborted) controller.abort();
  try {
    let response: Response;
    try {
      response = await call.fetch(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.body ?? null,
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch {
      return timedOut
        ? { ok: false, status: 504, message: `Mixpeek did not answer within ${Math.round(call.timeoutMs / 1000)} s.` }
        : { ok: false, status: 502, message: 'Mixpeek could not be reached.' };
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, status: 502, message: 'Mixpeek answered with a redirect, which the gateway does not follow.' };
    }
    let text: string | null;
    try {
      text = await readCapped(response.body, call.maxBytes);
    } catch {
      return timedOut
        ? { ok: false, status: 504, message: `Mixpeek did not finish its answer within ${Math.round(call.timeoutMs / 1000)} s.` }
        : { ok: false, status: 502, message: "Mixpeek's answer was cut off." };
    }
    if (text === null) return { ok: false, status: 502, message: `Mixpeek's answer was larger than ${call.maxBytes} bytes.` };
    let json: unknown = null;
    if (response.status !== 204) {
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      try {
        if (!(type === 'application/json' || type.endsWith('+json'))) throw new SyntaxError('not JSON');
        json = parseJsonText(text, MAX_ANSWER_DEPTH);
      } catch {
        return { ok: false, status: 502, message: `Mixpeek answered HTTP ${response.status} with something that is not JSON.` };
      }
      if (json === undefined) return { ok: false, status: 502, message: `Mixpeek answered HTTP ${response.status} with an empty body.` };
    }
    const headers: Record<string, string> = {};
    for (const [name, pattern] of Object.entries(PASSED_HEADERS)) {
      const value = response.headers.get(name);
      if (value !== null && pattern.test(value) && !call.redact.leaks(value)) headers[name] = value;
    }
    return { ok: true, status: response.status, headers, json: call.redact.json(json) };
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', onAbort);
  }
}
