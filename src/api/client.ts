import { MixpeekApiError, MixpeekUploaderError, isAbortError, messageOf } from '../errors.ts';
import { sleep } from '../sleep.ts';
import { Connectivity } from './connectivity.ts';
import { backoffDelay, defaultRetryOptions, isUnreachable, shouldRetry, type Failure, type RetryOptions } from './retry.ts';
import type {
  BatchConfirmResponse,
  BatchUploadResponse,
  Confirmation,
  CreateUploadRequest,
  TaskResponse,
  UploadResponse,
} from './types.ts';

/** Where and how to reach a Mixpeek-compatible API (Mixpeek, a gateway, or the emulator). */
export interface MixpeekClientOptions {
  /** Base URL, e.g. `https://api.mixpeek.com`, `/mixpeek` or `http://127.0.0.1:8787`. */
  apiUrl: string;
  /** `bucket_identifier` used in the bucket paths. */
  bucket: string;
  /** Sent as `X-Namespace` on bucket routes (Mixpeek requires it there; not on task routes). */
  namespace?: string | undefined;
  /** Sent as `Authorization: Bearer …`. Only for local trials: never put a secret key on a page. */
  apiKey?: string | undefined;
  /** Extra headers for every API request (e.g. a session token for a gateway). */
  getHeaders?: (() => Record<string, string> | Promise<Record<string, string>>) | undefined;
  /** The `fetch` to use; injected so tests and hosts can swap it. */
  fetch?: typeof fetch | undefined;
  /** Retry settings (see `retry.ts`); default {@link defaultRetryOptions}. */
  retry?: Partial<RetryOptions> | undefined;
  /** Shared record of whether the network answers; default a private one. */
  connectivity?: Connectivity | undefined;
}

/** What a client learns about its API server as it calls it (forgotten when `apiUrl` changes). */
interface ClientMemory {
  /** The `apiUrl` it was learned from. */
  apiUrl: string;
  /** The API has answered at least once (any status). */
  answered: boolean;
  /** Per route, the time (ms since epoch) before which it must not be called (a 429's `Retry-After`). */
  notBefore: Map<string, number>;
}

/** The routes, for per-route `Retry-After` waits. */
type Route = 'create' | 'confirm' | 'get' | 'delete' | 'task';

/**
 * A small client for Mixpeek's bucket-upload and task routes (paths from Mixpeek's OpenAPI
 * 0.81, tag "Bucket Uploads" and "Tasks"), with the retry policy of `retry.ts`: network
 * errors, 5xx, 408 and 429 are retried with backoff, and after a 429 no request goes to that
 * route before its `Retry-After` has passed. Every method throws {@link MixpeekApiError} for a
 * non-2xx answer it gives up on (with the server's message) and a `MixpeekUploaderError` with
 * code `network-error` when no answer came for `offlineTimeout` (or, from an API that never
 * answered, after a few tries: see `isUnreachable`); an aborted `signal` rejects with an
 * `AbortError`.
 */
export class MixpeekClient {
  readonly #options: MixpeekClientOptions | (() => MixpeekClientOptions);
  readonly connectivity: Connectivity;
  #learned: ClientMemory | undefined;

  /**
   * `options` may be a function: it is then read at every request, so that one client follows
   * its owner's settings (new headers, another bucket) and keeps what it learned of the API
   * (a route's `Retry-After`, that the API answers) for as long as `apiUrl` stays the same.
   */
  constructor(options: MixpeekClientOptions | (() => MixpeekClientOptions)) {
    this.#options = options;
    this.connectivity = this.options.connectivity ?? new Connectivity();
  }

  /** The settings in force now. */
  get options(): MixpeekClientOptions {
    return typeof this.#options === 'function' ? this.#options() : this.#options;
  }

  get #retry(): RetryOptions {
    return { ...defaultRetryOptions, ...this.options.retry };
  }

  get #memory(): ClientMemory {
    const { apiUrl } = this.options;
    if (this.#learned?.apiUrl !== apiUrl) this.#learned = { apiUrl, answered: false, notBefore: new Map() };
    return this.#learned;
  }

  /** `POST /v1/buckets/{bucket}/uploads/batch` with 1–100 items; returns the uploads in order. */
  async createUploads(items: CreateUploadRequest[], signal?: AbortSignal): Promise<UploadResponse[]> {
    const body = await this.#request<BatchUploadResponse>('create', 'POST', this.#bucketPath('/uploads/batch'), {
      body: { uploads: items },
      signal,
      bucketRoute: true,
    });
    if (!Array.isArray(body?.uploads) || body.uploads.length !== items.length) {
      throw new MixpeekUploaderError(
        'create-failed',
        `Batch create answered ${body?.uploads?.length ?? 'no'} uploads for ${items.length} requested.`,
      );
    }
    return body.uploads;
  }

  /** `POST /v1/buckets/{bucket}/uploads/confirm/batch` with 1–100 confirmations (always asynchronous). */
  confirmUploads(confirmations: Confirmation[], signal?: AbortSignal): Promise<BatchConfirmResponse> {
    return this.#request('confirm', 'POST', this.#bucketPath('/uploads/confirm/batch'), {
      body: { confirmations },
      signal,
      bucketRoute: true,
    });
  }

  /** `GET /v1/buckets/{bucket}/uploads/{upload_id}`. */
  getUpload(uploadId: string, signal?: AbortSignal): Promise<UploadResponse> {
    return this.#request('get', 'GET', this.#bucketPath(`/uploads/${encodeURIComponent(uploadId)}`), {
      signal,
      bucketRoute: true,
    });
  }

  /** `DELETE /v1/buckets/{bucket}/uploads/{upload_id}` (204; Mixpeek refuses COMPLETED uploads). */
  async deleteUpload(uploadId: string, signal?: AbortSignal): Promise<void> {
    await this.#request('delete', 'DELETE', this.#bucketPath(`/uploads/${encodeURIComponent(uploadId)}`), {
      signal,
      bucketRoute: true,
    });
  }

  /**
   * Whether the API answers one `GET /v1/buckets/{bucket}/uploads/{upload_id}` within
   * `timeoutMs` ms: any answer, of any status, resolves true; no answer resolves false. One try,
   * no retries; never rejects. The engine asks when storage, which never answered this page,
   * fails a PUT with no answer: true means the network works, so storage refuses the page (CORS).
   */
  async answers(uploadId: string, timeoutMs = 10_000): Promise<boolean> {
    const path = this.#bucketPath(`/uploads/${encodeURIComponent(uploadId)}`);
    try {
      await this.#once('GET', path, { signal: AbortSignal.timeout(timeoutMs), bucketRoute: true });
      return true;
    } catch (error) {
      return error instanceof MixpeekApiError;
    }
  }

  /**
   * `POST /v1/buckets/{bucket}/uploads/list` with Mixpeek's filters (`ListUploadsRequest`,
   * OpenAPI 0.81): one page of at most `limit` (≤ 100) uploads.
   */
  async listUploads(
    request: { filters?: Record<string, unknown>; limit?: number; offset?: number },
    signal?: AbortSignal,
  ): Promise<UploadResponse[]> {
    const body = await this.#request<{ results?: UploadResponse[] }>('get', 'POST', this.#bucketPath('/uploads/list'), {
      body: request,
      signal,
      bucketRoute: true,
    });
    return Array.isArray(body?.results) ? body.results : [];
  }

  /** `GET /v1/tasks/{task_id}`. */
  getTask(taskId: string, signal?: AbortSignal): Promise<TaskResponse> {
    return this.#request('task', 'GET', `/v1/tasks/${encodeURIComponent(taskId)}`, { signal, bucketRoute: false });
  }

  #bucketPath(rest: string): string {
    return `/v1/buckets/${encodeURIComponent(this.options.bucket)}${rest}`;
  }

  /** Sends with retries: waits out a route's `Retry-After`, backs off between tries. */
  async #request<T>(
    route: Route,
    method: string,
    path: string,
    init: { body?: unknown; signal?: AbortSignal | undefined; bucketRoute: boolean },
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const wait = (this.#memory.notBefore.get(route) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait, init.signal);
      try {
        const result = await this.#once<T>(method, path, init);
        this.#memory.answered = true;
        this.connectivity.answered();
        return result;
      } catch (error) {
        if (isAbortError(error) || init.signal?.aborted) throw error;
        const failure: Failure = error instanceof MixpeekApiError ? { status: error.status, retryAfter: error.retryAfter } : {};
        if (failure.status !== undefined) this.#memory.answered = true;
        if (isUnreachable(attempt, failure, this.#memory.answered)) {
          const { apiUrl } = this.options;
          throw new MixpeekUploaderError(
            'network-error',
            `${apiUrl} did not answer (${messageOf(error)}). The browser is online, so it refused the request or the address is wrong: check api-url, that the server runs, and that its CORS allows this page's origin and the headers getHeaders adds.`,
            { cause: error },
          );
        }
        if (failure.status === undefined) this.connectivity.lost();
        else this.connectivity.answered();
        const now = Date.now();
        if (!shouldRetry(attempt, failure, this.connectivity.lastAnswerAt, now, this.#retry)) throw error;
        const delay = backoffDelay(attempt, failure, this.#retry);
        // A 429 closes the whole route for that long, not only this request.
        if (failure.status === 429) this.#memory.notBefore.set(route, Math.max(this.#memory.notBefore.get(route) ?? 0, now + delay));
        await this.connectivity.wait(delay, init.signal);
      }
    }
  }

  async #once<T>(
    method: string,
    path: string,
    init: { body?: unknown; signal?: AbortSignal | undefined; bucketRoute: boolean },
  ): Promise<T> {
    const { apiUrl, apiKey, namespace, getHeaders } = this.options;
    const url = apiUrl.replace(/\/+$/, '') + path;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
    if (namespace && init.bucketRoute) headers['X-Namespace'] = namespace;
    if (getHeaders) Object.assign(headers, await getHeaders());

    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: init.signal ?? null,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new MixpeekUploaderError('network-error', `${method} ${url} could not be sent: ${String(error)}`, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFrom(response, method, url, text);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new MixpeekUploaderError('api-error', `${method} ${url} answered ${response.status} with a body that is not JSON.`, {
        cause: error,
      });
    }
  }
}

/**
 * Builds a {@link MixpeekApiError} from an error response, reading both shapes Mixpeek
 * documents: its envelope `{error:{message,type,details}}` and FastAPI's `{detail}`.
 */
export function apiErrorFrom(response: Response, method: string, url: string, text: string): MixpeekApiError {
  let message = `${method} ${url} failed with HTTP ${response.status}`;
  let type: string | undefined;
  let details: unknown;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const envelope = body.error as { message?: unknown; type?: unknown; details?: unknown } | undefined;
    if (envelope && typeof envelope === 'object' && typeof envelope.message === 'string') {
      message = envelope.message;
      type = typeof envelope.type === 'string' ? envelope.type : undefined;
      details = envelope.details;
    } else if (typeof body.detail === 'string') {
      message = body.detail;
    } else if (Array.isArray(body.detail)) {
      type = 'ValidationError';
      details = body.detail;
      message = body.detail
        .map((d: { loc?: unknown[]; msg?: unknown }) =>
          [Array.isArray(d.loc) ? d.loc.join('.') : '', String(d.msg ?? '')].filter(Boolean).join(': '),
        )
        .join('; ');
    } else if (typeof body.message === 'string') {
      message = body.message;
    }
  } catch {
    if (text.trim()) message = `${message}: ${text.trim().slice(0, 200)}`;
  }
  return new MixpeekApiError({
    status: response.status,
    method,
    url,
    message,
    type,
    details,
    bodyExcerpt: text.slice(0, 500),
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

/** `Retry-After` as seconds (it may be seconds or an HTTP date, RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}
