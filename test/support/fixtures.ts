/**
 * Test fixtures. P(n) is n bytes where byte i is i mod 251 (zero-filled files hide ordering
 * bugs), as in the project's fixture convention.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { createIdbJournal, type JournalRecord } from '../../src/engine/journal.ts';

export interface TestEnv {
  apiUrl: string;
  storageUrl: string;
  apiKey: string;
  namespace: string;
  bucket: string;
}

/** The emulator the test runner started (see web-test-runner.config.mjs). */
export const env: TestEnv = (window as unknown as { __MIXPEEK_TEST__: TestEnv }).__MIXPEEK_TEST__;

export function pattern(size: number, offset = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i + offset) % 251;
  return bytes;
}

export function patternFile(name: string, size: number, type = '', offset = 0): File {
  return new File([pattern(size, offset)], name, { type, lastModified: 1_700_000_000_000 });
}

/** MD5 of bytes computed by Node's `crypto` in the test runner's process. */
export async function nodeMd5(bytes: Uint8Array): Promise<string> {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (await executeServerCommand('node-md5', { base64: btoa(binary) })) as string;
}

/** Node `crypto` MD5 of P(size). */
export async function nodePatternMd5(size: number): Promise<string> {
  return (await executeServerCommand('node-md5-pattern', { size })) as string;
}

/** One entry of the emulator's request log. */
export interface LoggedRequest {
  seq: number;
  kind: 'api' | 'storage' | 'control';
  method: string;
  path: string;
  status: number;
  body?: unknown;
  contentType?: string;
  size?: number;
  uploadId?: string;
}

export async function emulatorRequests(): Promise<LoggedRequest[]> {
  const response = await fetch(`${env.apiUrl}/_emulator/requests`);
  return (await response.json()) as LoggedRequest[];
}

/** The request bodies of the emulator's successful API calls to routes ending in `suffix` (not preflights). */
export async function apiBodies<T>(method: string, suffix: string): Promise<T[]> {
  return (await emulatorRequests())
    .filter((r) => r.kind === 'api' && r.method === method && r.path.endsWith(suffix) && r.status >= 200 && r.status < 300)
    .map((r) => r.body as T);
}

/** Forgets the emulator's uploads and the browser's upload journal (each test starts clean). */
export async function resetEmulator(): Promise<void> {
  await fetch(`${env.apiUrl}/_emulator/reset`, { method: 'POST' });
  await createIdbJournal().clear();
}

/** Resolves with the next event of that name on the target. */
export function nextEvent<T = unknown>(target: EventTarget, name: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => target.addEventListener(name, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

/**
 * A journal record of `name` (1000 bytes, `patternFile`'s lastModified) under `target`
 * (`apiUrl|bucket|namespace`), written by a page that is gone, with `over` applied.
 */
export function journalRecord(target: string, name: string, over: Partial<JournalRecord>): JournalRecord {
  return {
    key: `${target}#fp-${name}`,
    target,
    name,
    relativePath: name,
    size: 1000,
    lastModified: 1_700_000_000_000,
    state: 'queued',
    uploadId: '',
    contentType: 'application/octet-stream',
    updatedAt: Date.now(),
    owner: 'a-closed-page',
    ...over,
  };
}

/**
 * Replaces the emulator's fault set (`POST /_emulator/faults`; `{}` clears it). Throws unless
 * it is accepted; an answer cut by an `offline` fault it sets is fine.
 */
export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${env.apiUrl}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify(faults),
    headers: { 'Content-Type': 'application/json' },
  }).catch(
    () => undefined, // going offline may cut this very answer
  );
  if (response && response.status !== 200) throw new Error(`faults refused: ${response.status} ${await response.text()}`);
}
