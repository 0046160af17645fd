/**
 * The bench page: measurements that run in the browser, offered to the driver (bench/run.ts)
 * as `window.bench`. Files come from the page's file input, filled by the driver with
 * disk-backed files. The element is the shipped bundle, `dist/mixpeek-uploader.js`; the hashing
 * figures use the element's worker pool built the same way (Vite, worker inlined).
 */
import { createWorkerHasher, type Hasher } from '../../src/hash/hasher.ts';
import type { BenchApi, BenchEnv, HashResult, UploadResult } from './api.ts';
import { type BareTarget, bareLinkUpload, createBatchBare } from './bare-link.ts';
import { createHashWasmHasher } from './hash-wasm-hasher.ts';

/** The parts of `<mixpeek-uploader>` the bench uses (its public API). */
interface UploaderElement extends HTMLElement {
  addFiles(files: Iterable<File>): unknown;
  upload(): Promise<{ confirmed: number; failed: number; skipped: number }>;
  readonly engine: {
    configure(options: { hasher?: Hasher }): void;
    preload(): Promise<void>;
    readonly options: { concurrency: number };
    readonly totals: { files: number };
  };
  readonly updateComplete: Promise<boolean>;
}

const input = document.querySelector<HTMLInputElement>('#files')!;
const files = (): File[] => Array.from(input.files ?? []);
const file = (index: number): File => {
  const f = files()[index];
  if (!f) throw new Error(`No input file ${index} (${files().length} given).`);
  return f;
};

const longTasks: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });

/** Long Animation Frames API entries (Chromium 123+): which scripts made a frame long. */
interface LongFrame extends PerformanceEntry {
  scripts: {
    invoker: string;
    invokerType: string;
    sourceURL: string;
    sourceFunctionName: string;
    sourceCharPosition: number;
    duration: number;
  }[];
}
const longFrames: LongFrame[] = [];
if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
  new PerformanceObserver((list) => longFrames.push(...(list.getEntries() as LongFrame[]))).observe({
    type: 'long-animation-frame',
    buffered: true,
  });
}
function describeFrame(frame: LongFrame | undefined): string | undefined {
  if (!frame) return undefined;
  const scripts = [...frame.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3);
  const where = (s: LongFrame['scripts'][number]) =>
    `${s.invoker}${s.sourceFunctionName ? ` → ${s.sourceFunctionName}` : ''} (${s.sourceURL.split('/').pop() || 'inline'}:${s.sourceCharPosition}) ${Math.round(s.duration)} ms`;
  return `${Math.round(frame.duration)} ms frame: ${scripts.map(where).join(', ') || 'no script named'}`;
}

const epoch = () => performance.timeOrigin + performance.now();

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** Starts every worker of a pool and lets its JIT warm up on a few MiB. */
async function warm(hasher: Hasher, workers: number): Promise<void> {
  const blob = new Blob([new Uint8Array(4 * 1024 * 1024).fill(7)]);
  await Promise.all(Array.from({ length: workers }, () => hasher.md5(blob)));
}

async function timed(hasher: Hasher, blob: Blob): Promise<HashResult> {
  const started = performance.now();
  const md5 = await hasher.md5(blob);
  return { ms: performance.now() - started, md5 };
}

/** Posts `message` to one of the bench's own workers and resolves with its answer. */
function ask<T>(worker: Worker, message: unknown, transfer: Transferable[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<T>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(message, transfer);
  });
}

const memoryWorkerHash = (worker: Worker, buffer: ArrayBuffer) => ask<HashResult>(worker, { buffer }, [buffer]);

const defaultPoolSize = () => Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));

/** Largest delay of a periodic timer beyond its period, while running. */
function lagProbe(period = 20): () => number {
  let max = 0;
  let last = performance.now();
  const id = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - period);
    last = now;
  }, period);
  return () => {
    clearInterval(id);
    return Math.max(0, max);
  };
}

async function loadElement(env: BenchEnv): Promise<UploaderElement> {
  await import(/* @vite-ignore */ `${location.origin}/dist/mixpeek-uploader.js`);
  await customElements.whenDefined('mixpeek-uploader');
  const el = document.createElement('mixpeek-uploader') as UploaderElement;
  el.setAttribute('api-url', env.apiUrl);
  el.setAttribute('bucket', env.bucket);
  el.setAttribute('namespace', env.namespace);
  el.setAttribute('api-key', env.apiKey);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** True once `text` is rendered somewhere in `root`, shadow roots included. */
function rendered(root: Node, text: string): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType === Node.TEXT_NODE && node.textContent?.includes(text)) return true;
    // A row may split the name across spans (head and tail, for a middle ellipsis).
    if ((node as Element).getAttribute?.('part')?.split(' ').includes('file-name') && node.textContent?.includes(text)) return true;
    const shadow = (node as Element).shadowRoot;
    if (shadow) stack.push(shadow);
    for (let child = node.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return false;
}

const api: BenchApi = {
  fileCount: () => files().length,

  async hashWorker(index, sliceSize) {
    const hasher = createWorkerHasher({ workers: 1, ...(sliceSize ? { sliceSize } : {}) });
    try {
      await warm(hasher, 1);
      return await timed(hasher, file(index));
    } finally {
      hasher.dispose?.();
    }
  },

  async hashMemory(index) {
    const buffer = await file(index).arrayBuffer();
    const worker = new Worker(new URL('./spark-memory.worker.ts', import.meta.url), { type: 'module' });
    try {
      await memoryWorkerHash(worker, new Uint8Array(4 * 1024 * 1024).fill(7).buffer); // warm-up
      return await memoryWorkerHash(worker, buffer);
    } finally {
      worker.terminate();
    }
  },

  async readFile(index) {
    const worker = new Worker(new URL('./read-file.worker.ts', import.meta.url), { type: 'module' });
    try {
      return await ask<{ ms: number; bytes: number }>(worker, { blob: file(index) });
    } finally {
      worker.terminate();
    }
  },

  async hashMemoryWorkers(indices, workers) {
    const buffers = await Promise.all(indices.map((i) => file(i).arrayBuffer()));
    const pool = Array.from(
      { length: workers },
      () => new Worker(new URL('./spark-memory.worker.ts', import.meta.url), { type: 'module' }),
    );
    try {
      const warmUp = () => Uint8Array.from({ length: 4 * 1024 * 1024 }, (_, i) => i % 251).buffer;
      await Promise.all(pool.map((w) => memoryWorkerHash(w, warmUp())));
      const md5s: string[] = [];
      const started = performance.now();
      await Promise.all(
        pool.map(async (w, k) => {
          for (let i = k; i < buffers.length; i += workers) md5s[i] = (await memoryWorkerHash(w, buffers[i]!)).md5;
        }),
      );
      return { ms: performance.now() - started, md5s };
    } finally {
      for (const w of pool) w.terminate();
    }
  },

  async hashPool(indices, workers, options = {}) {
    const size = workers ?? defaultPoolSize();
    const hasher = createWorkerHasher({ ...(workers ? { workers } : {}), ...options });
    try {
      await warm(hasher, size);
      const all = indices.map(file);
      const started = performance.now();
      const md5s = await Promise.all(all.map((f) => hasher.md5(f)));
      return { ms: performance.now() - started, workers: size, bytes: all.reduce((n, f) => n + f.size, 0), md5s };
    } finally {
      hasher.dispose?.();
    }
  },

  async hashWasm(index) {
    const hasher = createHashWasmHasher({ workers: 1 });
    try {
      await warm(hasher, 1);
      return await timed(hasher, file(index));
    } finally {
      hasher.dispose?.();
    }
  },

  async prepareHasher() {
    prepared?.dispose?.();
    prepared = createWorkerHasher();
    await warm(prepared, defaultPoolSize());
    return defaultPoolSize();
  },

  async runHasher(index) {
    if (!prepared) throw new Error('prepareHasher() first');
    return timed(prepared, file(index));
  },

  async elementUpload(env, options = {}) {
    const el = await loadElement(env);
    if (options.skipDuplicates) el.setAttribute('skip-duplicates', options.skipDuplicates);
    if (options.wasm) el.engine.configure({ hasher: createHashWasmHasher() });
    const { instantMd5 } = options;
    if (instantMd5) {
      // Each file is still read once for its journal fingerprint, on the pool's reading worker,
      // as the default hasher reads it once for both its MD5 and its fingerprint.
      const pool = createWorkerHasher();
      el.engine.configure({
        hasher: {
          md5: async () => instantMd5,
          hash: async (f, path) => ({ md5: instantMd5, fingerprint: await pool.fingerprint!(f, path) }),
          fingerprint: (f, path) => pool.fingerprint!(f, path),
        },
      });
    }
    // As when a person picks the files: the page has gone idle, its chunks are loaded.
    await el.engine.preload();
    await new Promise((resolve) => requestIdleCallback(resolve));
    const all = files();
    el.addFiles(all);
    await el.updateComplete;
    await nextFrame();
    let confirmed = 0;
    let confirmedAt = NaN;
    const errors: string[] = [];
    let lastConfirm = Number.NaN;
    let lastMd5 = Number.NaN;
    el.addEventListener('mixpeek-batch-confirmed', (event) => {
      confirmed += (event as CustomEvent<{ confirmations: unknown[] }>).detail.confirmations.length;
      lastConfirm = epoch();
      if (confirmed >= all.length && Number.isNaN(confirmedAt)) confirmedAt = performance.now();
    });
    el.addEventListener('mixpeek-file-uploaded', () => {
      lastMd5 = epoch();
    });
    let uploadsConfirmed = Number.NaN;
    el.addEventListener('mixpeek-uploads-confirmed', () => {
      uploadsConfirmed = epoch();
    });
    el.addEventListener('mixpeek-file-error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message));
    const stopProbe = lagProbe();
    const startedAt = epoch();
    const started = performance.now();
    const summary = await el.upload();
    const ended = performance.now();
    const endedAt = epoch();
    const maxTimerLag = stopProbe();
    const during = longTasks.filter((t) => t.startTime >= started && t.startTime <= ended);
    const frames = longFrames.filter((f) => f.startTime >= started && f.startTime <= ended).sort((a, b) => b.duration - a.duration);
    return {
      ms: confirmedAt - started,
      completeMs: ended - started,
      confirmed: summary.confirmed,
      failed: summary.failed,
      skipped: summary.skipped,
      concurrency: el.engine.options.concurrency,
      errors: errors.slice(0, 3),
      longestTask: Math.max(0, ...during.map((t) => t.duration)),
      longTasks: during.length,
      maxTimerLag,
      longestFrame: describeFrame(frames[0]),
      marks: { started: startedAt, lastMd5, lastConfirm, uploadsConfirmed, ended: endedAt },
    } satisfies UploadResult;
  },

  async bareUpload(env, concurrency, { hash = false } = {}) {
    const all = files();
    const targets: BareTarget[] = [];
    for (let i = 0; i < all.length; i += 100) targets.push(...(await createBatchBare(env, all.slice(i, i + 100))));
    let next = 0;
    const hasher = hash ? createWorkerHasher() : undefined;
    if (hasher) await warm(hasher, defaultPoolSize());
    const started = performance.now();
    const hashed = hasher ? Promise.all(all.map((f) => hasher.md5(f))).finally(() => hasher.dispose?.()) : undefined;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < targets.length) {
          const t = targets[next++]!;
          const response = await fetch(t.url, { method: 'PUT', body: t.file, headers: { 'Content-Type': t.contentType } });
          if (!response.ok) throw new Error(`PUT ${t.file.name}: ${response.status} ${await response.text()}`);
        }
      }),
    );
    await hashed;
    return { ms: performance.now() - started, concurrency };
  },

  async renderList(env, count) {
    const el = await loadElement(env);
    const list = Array.from(
      { length: count },
      (_, i) => new File([`file ${i}`], `file-${String(i).padStart(5, '0')}.txt`, { type: 'text/plain', lastModified: 1_700_000_000_000 }),
    );
    await nextFrame();
    const started = performance.now();
    el.addFiles(list);
    await el.updateComplete;
    // Lazily rendered parts may come a few frames later: wait until the first row is there.
    for (let frame = 0; frame < 600; frame += 1) {
      await nextFrame();
      if (rendered(el, list[0]!.name)) return { ms: performance.now() - started, rendered: true };
    }
    return { ms: performance.now() - started, rendered: false };
  },

  async prepareManyFiles(env, count) {
    const el = await loadElement(env);
    await el.engine.preload();
    many = {
      el,
      list: Array.from(
        { length: count },
        (_, i) =>
          new File([`file ${i}`], `file-${String(i).padStart(6, '0')}.txt`, { type: 'text/plain', lastModified: 1_700_000_000_000 }),
      ),
    };
  },

  async addManyFiles() {
    if (!many) throw new Error('prepareManyFiles() first');
    const { el, list } = many;
    const count = list.length;
    // As when a person picks the files: the page has gone idle, its chunks are loaded.
    await new Promise((resolve) => requestIdleCallback(resolve));
    await nextFrame();
    const stopProbe = lagProbe();
    const started = performance.now();
    el.addFiles(list);
    let firstRowMs = Number.NaN;
    let listedMs = Number.NaN;
    for (let frame = 0; frame < 3600 && (Number.isNaN(firstRowMs) || Number.isNaN(listedMs)); frame += 1) {
      await nextFrame();
      const now = performance.now() - started;
      if (Number.isNaN(firstRowMs) && rendered(el, list[0]!.name)) firstRowMs = now;
      if (Number.isNaN(listedMs) && el.engine.totals.files >= count) listedMs = now;
    }
    const watchedMs = (await quiet(started)) - started;
    const maxTimerLag = stopProbe();
    const during = longTasks.filter((t) => t.startTime >= started);
    const frames = longFrames.filter((f) => f.startTime >= started).sort((a, b) => b.duration - a.duration);
    return {
      firstRowMs,
      listedMs,
      watchedMs,
      longestTask: Math.max(0, ...during.map((t) => t.duration)),
      longTasks: during.length,
      maxTimerLag,
      longestFrame: describeFrame(frames[0]),
      files: el.engine.totals.files,
    };
  },

  bareLinkUpload: (env, concurrency) => bareLinkUpload(env, files(), concurrency),

  async uppyGlueUpload(env, concurrency) {
    // Loaded only here, so no other measurement carries Uppy's bundle.
    const { uppyGlueUpload } = await import('./uppy-glue.ts');
    return uppyGlueUpload(env, files(), concurrency);
  },
};

/** Waits until the page has gone `quietMs` without a long task (at most `maxMs`); returns when that was. */
async function quiet(since: number, quietMs = 1000, maxMs = 30_000): Promise<number> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = performance.now();
    const last = Math.max(since, ...longTasks.filter((t) => t.startTime >= since).map((t) => t.startTime + t.duration));
    if (now - last >= quietMs || now - since >= maxMs) return now;
  }
}

let prepared: Hasher | undefined;
let many: { el: UploaderElement; list: File[] } | undefined;
window.bench = api;
