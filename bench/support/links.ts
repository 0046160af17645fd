/**
 * The links and workloads of the bench's link cases (issue 17), their targets, and how one
 * run's timeline and API requests are read from the emulator's log.
 *
 * A link is loopback, or the emulator's storage behind a shaping proxy (the bandwidth shared by
 * all connections) and its API behind an added round trip. Presigned URLs are signed for the
 * storage's host and port, so they cannot be rewritten to the proxy's: the browser is started
 * with `--host-resolver-rules` mapping the storage's port to the proxy's, and still sends the
 * signed Host. The API URL is simply the proxy's.
 */
import type { Emulator, EmulatorRequestLogEntry } from '../../src/emulator/index.ts';
import type { RunMarks } from '../pages/api.ts';
import type { Target } from './report.ts';
import { startShaper, type Shaper } from './shaper.ts';

const MiB = 1024 * 1024;

export const LINK_IDS = ['100m', '1g', 'loopback'] as const;
export type LinkId = (typeof LINK_IDS)[number];
export interface Link {
  id: LinkId;
  label: string;
  /** Storage bandwidth, bits per second, each direction; none on loopback. */
  bitsPerSecond?: number;
  /** Round trip added to every API request, ms. */
  rttMs?: number;
}
export const LINKS: Record<LinkId, Link> = {
  '100m': { id: '100m', label: '100 Mbit/s, 40 ms RTT', bitsPerSecond: 100e6, rttMs: 40 },
  '1g': { id: '1g', label: '1 Gbit/s, 20 ms RTT', bitsPerSecond: 1e9, rttMs: 20 },
  loopback: { id: 'loopback', label: 'loopback' },
};

export const WORKLOAD_IDS = ['200x1m', '1000x8k', '1x256m'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];
export interface Workload {
  id: WorkloadId;
  label: string;
  count: number;
  /** Bytes per file. */
  size: number;
  /** Name of its files on disk (shared with other cases that use the same files). */
  files: string;
}
export const WORKLOADS: Record<WorkloadId, Workload> = {
  '200x1m': { id: '200x1m', label: '200 × 1 MiB', count: 200, size: MiB, files: 'small' },
  '1000x8k': { id: '1000x8k', label: '1,000 × 8 KiB', count: 1000, size: 8 * 1024, files: 'tiny' },
  '1x256m': { id: '1x256m', label: '1 × 256 MiB', count: 1, size: 256 * MiB, files: 'big-256MiB' },
};

/** The targets: element ÷ bare and element ÷ Uppy glue, medians of same-round ratios. */
export function linkTargets(link: LinkId, workload: WorkloadId): { bare?: Target; uppy?: Target } {
  if (link === '100m') return { bare: { op: '<=', limit: 1.03 }, uppy: { op: '<=', limit: 1.02 } };
  if (link === '1g')
    return workload === '1000x8k'
      ? { bare: { op: '<=', limit: 1.1 }, uppy: { op: '<=', limit: 0.8 } }
      : { bare: { op: '<=', limit: 1.2 }, uppy: { op: '<=', limit: 1.05 } };
  return workload === '1000x8k' ? { uppy: { op: '<=', limit: 0.8 } } : {};
}

/** The proxies of one link and the browser flag that sends storage traffic through them. */
export interface RunningLink {
  apiUrl: string;
  /** Extra Chromium arguments (none on loopback). */
  chromiumArgs: string[];
  close(): Promise<void>;
}

export async function startLink(link: Link, emulator: Emulator): Promise<RunningLink> {
  if (!link.bitsPerSecond && !link.rttMs) return { apiUrl: emulator.apiUrl, chromiumArgs: [], close: async () => undefined };
  const storage = new URL(emulator.storageUrl);
  const api = new URL(emulator.apiUrl);
  const proxies: Shaper[] = [];
  try {
    const storageProxy = await startShaper({
      target: { host: storage.hostname, port: Number(storage.port) },
      bitsPerSecond: link.bitsPerSecond,
    });
    proxies.push(storageProxy);
    const apiProxy = await startShaper({ target: { host: api.hostname, port: Number(api.port) }, rttMs: link.rttMs });
    proxies.push(apiProxy);
    return {
      apiUrl: `http://127.0.0.1:${apiProxy.port}`,
      chromiumArgs: [`--host-resolver-rules=MAP ${storage.hostname}:${storage.port} 127.0.0.1:${storageProxy.port}`],
      close: async () => {
        await Promise.all(proxies.map((p) => p.close()));
      },
    };
  } catch (error) {
    await Promise.all(proxies.map((p) => p.close()));
    throw error;
  }
}

/** One request's kind, as the link tables count them. */
function kindOf(r: EmulatorRequestLogEntry): string | undefined {
  if (r.kind === 'storage') return r.method === 'OPTIONS' ? 'storage preflight' : r.method === 'PUT' ? 'PUT' : `storage ${r.method}`;
  if (r.kind !== 'api') return undefined;
  if (r.method === 'OPTIONS') return 'API preflight';
  if (r.method === 'GET' && r.path.startsWith('/v1/tasks/')) return 'task poll';
  if (r.method === 'POST' && r.path.endsWith('/uploads/batch')) return 'batch create';
  if (r.method === 'POST' && r.path.endsWith('/uploads/confirm/batch')) return 'batch confirm';
  if (r.method === 'POST' && r.path.endsWith('/confirm')) return 'confirm';
  if (r.method === 'POST' && r.path.endsWith('/uploads')) return 'create';
  return `${r.method} other`;
}

/** Requests of a run by kind (API and storage, preflights apart). */
export function requestsByKind(requests: EmulatorRequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const kind = kindOf(r);
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** A run's moments in ms from its start; storage and API ones as the emulator saw them. */
export interface Timeline {
  /** The first create (batch or single) answered. */
  firstCreate?: number;
  firstPut: number;
  lastPut: number;
  /** The element only: its last file stored with its MD5 known. */
  lastMd5?: number;
  /** The last confirm answered (none for the bare page). */
  lastConfirm?: number;
  /** The element only: its `mixpeek-uploads-confirmed` event (every file confirmed). */
  uploadsConfirmed?: number;
  end: number;
}

export function timelineOf(marks: RunMarks, requests: EmulatorRequestLogEntry[]): Timeline {
  const at = (t: number) => Math.round(t - marks.started);
  const puts = requests.filter((r) => r.kind === 'storage' && r.method === 'PUT');
  const confirms = requests.filter((r) => {
    const kind = kindOf(r);
    return kind === 'confirm' || kind === 'batch confirm';
  });
  const timeline: Timeline = {
    firstPut: at(Math.min(...puts.map((r) => r.time))),
    lastPut: at(Math.max(...puts.map((r) => r.time + r.durationMs))),
    end: at(marks.ended),
  };
  if (marks.lastMd5 !== undefined && Number.isFinite(marks.lastMd5)) timeline.lastMd5 = at(marks.lastMd5);
  if (marks.uploadsConfirmed !== undefined && Number.isFinite(marks.uploadsConfirmed))
    timeline.uploadsConfirmed = at(marks.uploadsConfirmed);
  const creates = requests.filter((r) => {
    const kind = kindOf(r);
    return kind === 'create' || kind === 'batch create';
  });
  if (creates.length > 0) timeline.firstCreate = at(Math.min(...creates.map((r) => r.time + r.durationMs)));
  if (confirms.length > 0) timeline.lastConfirm = at(Math.max(...confirms.map((r) => r.time + r.durationMs)));
  return timeline;
}
