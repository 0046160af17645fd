/**
 * `npm run bench`: how fast and light the uploader is, measured in headless Chromium against
 * the local emulator on loopback. Every figure that has a baseline is a ratio against it,
 * measured in the same round (machine noise cancels), and the median of several rounds. Prints
 * a table, writes bench/results.json and bench/results.svg, and exits 0 unless it crashes:
 * targets are printed as pass/fail, the tests assert behaviour.
 *
 * Flags: `--rounds N` (default 3; the 512 MiB with hash-wasm case runs min(N, 2) rounds, the
 * 1 GiB and 2 GiB cases one), `--skip-build` (measure the dist/ already there), `--markdown`
 * (also print the tables as Markdown, for docs/performance.md), `--only a,b` (only those cases:
 * size, md5, pool, small, big, big-wasm, long-task, heap, list, links, many, duplicates; prints the tables,
 * writes no files), `--links a,b` and `--workloads a,b` (the link cases on those links only:
 * 100m, 1g, loopback; and those workloads only: 200x1m, 1000x8k, 1x256m; they imply
 * `--only links` unless `--only` is given), `--trace` (each run's timeline on stderr),
 * `--update` (with `--only`: put those cases' figures into bench/results.json and the
 * performance page in place of the last full run's, with a note), `--profile DIR` (a CPU
 * profile of the page's main thread for each element run of the link cases, as
 * DIR/<link>-<workload>-<round>.cpuprofile, to open in Chrome DevTools; the pages are then built
 * unminified, so the profile's names are the source's).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import cliProgress from 'cli-progress';
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer-core';
import { PROBE_FILES, PROBE_MAX_FILE_BYTES, PROBE_MIN_BYTES } from '../src/engine/duplicates.ts';
import { startEmulator, type Emulator, type EmulatorRequestLogEntry } from '../src/emulator/index.ts';
import type { BenchEnv, UploadResult } from './pages/api.ts';
import { patternMd5, writeDistinctFiles, writePattern, writePatternFiles } from './support/files.ts';
import { buildElementUnminified, buildPages, servePages, type PageServer } from './support/pages.ts';
import {
  consoleTable,
  judge,
  markdownTable,
  shortMarkdownTable,
  svgChart,
  type Figure,
  type Results,
  type Target,
  type Throughput,
} from './support/report.ts';
import { chromiumArgs, chromiumPath } from '../test/support/chromium.mjs';
import { DUPLICATE_SECONDS, runDuplicateCases } from './cases/duplicates.ts';
import { failedLinkFigures, linkFigures, runLinkCases, type LinkRow } from './cases/links.ts';
import { measureManyFiles } from './cases/many-files.ts';
import { linksConsoleTable, linksMarkdown, linksRequestsLines, timelinesMarkdown } from './support/link-report.ts';
import { LINK_IDS, type LinkId, WORKLOAD_IDS, type WorkloadId } from './support/links.ts';
import { checkShaper } from './support/shaper-check.ts';
import { bundleSize, dependenciesSize, SIZE_TARGET_BYTES, SIZE_TOTAL_BUDGET_BYTES } from './support/size.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MiB = 1024 * 1024;
const repo = fileURLToPath(new URL('../', import.meta.url));

const CASES = ['size', 'md5', 'pool', 'small', 'big', 'big-wasm', 'long-task', 'heap', 'list', 'many', 'links', 'duplicates'] as const;
type CaseId = (typeof CASES)[number];

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'skip-build': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    only: { type: 'string' },
    trace: { type: 'boolean', default: false },
    links: { type: 'string' },
    workloads: { type: 'string' },
    update: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
/** A comma-separated flag's values, each checked against what exists. */
function listFlag<T extends string>(name: string, value: string | undefined, known: readonly T[]): T[] | undefined {
  const values = value?.split(',').map((c) => c.trim());
  for (const v of values ?? [])
    if (!(known as readonly string[]).includes(v)) throw new Error(`--${name}: no "${v}" (${known.join(', ')})`);
  return values as T[] | undefined;
}
const linksFlag = listFlag<LinkId>('links', flags.links, LINK_IDS);
const workloadsFlag = listFlag<WorkloadId>('workloads', flags.workloads, WORKLOAD_IDS);
const only = listFlag<CaseId>('only', flags.only, CASES) ?? (linksFlag || workloadsFlag ? ['links'] : undefined);
const selected = (c: CaseId) => !only || only.includes(c);
const LINKS_RUN: readonly LinkId[] = linksFlag ?? LINK_IDS;
const WORKLOADS_RUN: readonly WorkloadId[] = workloadsFlag ?? WORKLOAD_IDS;

const ROUNDS = Math.max(1, Number(flags.rounds) || 5);
const ROUNDS_BY_CASE: Record<CaseId, number> = {
  size: 1,
  md5: ROUNDS,
  pool: ROUNDS,
  small: ROUNDS,
  big: Math.min(ROUNDS, 3),
  'big-wasm': Math.min(ROUNDS, 2),
  'long-task': 1,
  heap: 1,
  list: ROUNDS,
  many: ROUNDS,
  links: ROUNDS,
  duplicates: ROUNDS + (ROUNDS % 2), // even: as many rounds with each mode first
};
/** Rough seconds per round on the reference machine, for the progress bar's estimate. */
const SECONDS_PER_ROUND: Record<CaseId, number> = {
  size: 3,
  md5: 10,
  pool: 8,
  small: 36,
  big: 42,
  'big-wasm': 22,
  'long-task': 40,
  heap: 45,
  list: 4,
  many: 15,
  links: 0, // counted per link and workload below
  duplicates: Object.values(DUPLICATE_SECONDS).reduce((a, b) => a + b, 0),
};
/** Rough seconds per round of the three contenders, per link and workload. */
const LINK_SECONDS: Record<LinkId, Record<WorkloadId, number>> = {
  '100m': { '200x1m': 66, '1000x8k': 40, '1x256m': 80 },
  '1g': { '200x1m': 25, '1000x8k': 30, '1x256m': 20 },
  loopback: { '200x1m': 22, '1000x8k': 30, '1x256m': 18 },
};
const linkSeconds = selected('links')
  ? LINKS_RUN.reduce((n, l) => n + WORKLOADS_RUN.reduce((m, w) => m + LINK_SECONDS[l][w], 0), 0) * ROUNDS_BY_CASE.links
  : 0;

/** The test files, P(n) on disk. */
const SIZES = {
  hash: 128 * MiB,
  pool: { count: 8, size: 32 * MiB },
  small: { count: 200, size: 1 * MiB },
  big: 512 * MiB,
  longTask: 1024 * MiB,
  heap: 2048 * MiB,
  list: 10_000,
  many: 100_000,
};

// ---- helpers ---------------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** One empty list of samples per name, for a case's rounds. */
const sampleRows = <K extends string>(...names: K[]) => Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;

/** What a figure is, before it is measured (also what is reported when its case crashes). */
interface FigureMeta {
  id: string;
  figure: string;
  short?: string;
  group?: 'links';
  baseline: string;
  unit: string;
  target?: Target;
}
type Measured = { value: number; rounds: number; detail: string; samples: number[]; pass?: boolean | null; display?: string | undefined };
const figure = (meta: FigureMeta, m: Measured): Figure => ({
  ...meta,
  ...m,
  pass: m.pass !== undefined ? m.pass : judge(m.value, meta.target),
});

/**
 * `--trace`: where a run's time went, from the emulator's log: each API call's start and
 * length, the storage PUTs' span, mean length and mean number in flight, and the CPU the whole
 * machine used (page setup included).
 */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}
/** CPU ms per kind of process (Chromium's by `--type`, this Node process apart), from /proc. */
function processTimes(): Map<string, number> {
  const byKind = new Map<string, number>();
  const tick = 1000 / 100; // USER_HZ
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const ms = (Number(stat[11]) + Number(stat[12])) * tick;
      let kind: string | undefined;
      if (Number(pid) === process.pid) kind = 'node (emulator, driver)';
      else if (cmd.includes('chromium')) {
        const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
        const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1];
        kind = sub ? `${type}:${sub.split('.').pop()}` : type;
      }
      if (kind) byKind.set(kind, (byKind.get(kind) ?? 0) + ms);
    } catch {
      // the process ended meanwhile
    }
  }
  return byKind;
}
let processMark = processTimes();
/** Taken just before a page's browser context closes, whose renderer then ends. */
let processesAtEnd: Map<string, number> | undefined;
/** CPU s per kind of process since the last call. */
function processesSince(): string {
  const now = processesAtEnd ?? processTimes();
  processesAtEnd = undefined;
  const parts = [...now].map(([k, ms]) => [k, ms - (processMark.get(k) ?? 0)] as const).filter(([, ms]) => ms > 50);
  processMark = now;
  return parts.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ');
}
let cpuMark = cpuTimes();
/** Core-seconds the whole machine used since the last call, and that as a share of all cores. */
function cpuSince(): string {
  const now = cpuTimes();
  const busy = now.busy - cpuMark.busy;
  const share = busy / (now.total - cpuMark.total);
  cpuMark = now;
  return `CPU ${(busy / 1000).toFixed(1)} core-s (${Math.round(share * 100)} % of all cores: ${processesSince()})`;
}

function timeline(what: string, requests: EmulatorRequestLogEntry[]): string {
  const t0 = Math.min(...requests.map((r) => r.time));
  const at = (ms: number) => `${Math.round(ms - t0)}`;
  const api = requests
    .filter((r) => r.kind === 'api' && r.method !== 'OPTIONS')
    .map((r) => `${at(r.time)}+${Math.round(r.durationMs)} ${r.method} ${r.path.replace(/^\/v1\/(buckets\/[^/]+\/)?/, '')}`);
  const puts = requests.filter((r) => r.kind === 'storage' && r.method === 'PUT');
  const first = Math.min(...puts.map((r) => r.time));
  const last = Math.max(...puts.map((r) => r.time + r.durationMs));
  const busy = puts.reduce((n, r) => n + r.durationMs, 0);
  return (
    `trace ${what}: PUTs ${at(first)}..${at(last)} ms, ${puts.length} × ${Math.round(busy / puts.length)} ms, ` +
    `${(busy / (last - first)).toFixed(2)} in flight; ${cpuSince()}\n  ${api.join('\n  ')}`
  );
}

/**
 * True when `skipDuplicates: 'auto'` asks about a few files first in a run over files of these
 * sizes (duplicates.ts, `takeQuestion`): 64 MiB or more to send, and a file small enough.
 */
function asksFirst(sizes: number[]): boolean {
  return sizes.reduce((a, b) => a + b, 0) >= PROBE_MIN_BYTES && sizes.some((s) => s <= PROBE_MAX_FILE_BYTES);
}

/**
 * An element run's API calls by kind (CORS preflights apart). `probes` is 1 when the run was to
 * ask about a few files first (`asks`) and its first create did: up to {@link PROBE_FILES} items,
 * each with `file_hash`; the one create beyond ceil(N/100) the rule allows.
 */
function apiCalls(requests: EmulatorRequestLogEntry[], asks = false) {
  const api = requests.filter((r) => r.kind === 'api' && r.method !== 'OPTIONS');
  const createCalls = api.filter((r) => r.method === 'POST' && r.path.endsWith('/uploads/batch'));
  const creates = createCalls.length;
  const first = (createCalls[0]?.body as { uploads?: { file_hash?: string }[] } | undefined)?.uploads ?? [];
  const probes = asks && first.length <= PROBE_FILES && first.every((u) => u.file_hash) ? 1 : 0;
  const confirms = api.filter((r) => r.method === 'POST' && r.path.endsWith('/uploads/confirm/batch')).length;
  const polls = api.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/tasks/')).length;
  return { total: api.length, creates, probes, confirms, polls, other: api.length - creates - confirms - polls };
}

function machine(browserVersion: string, hardwareConcurrency: number): Record<string, string | number> {
  let distro = os.type();
  try {
    distro = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {
    // not Linux
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpus: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${distro}, kernel ${os.release()}`,
    node: process.version,
    browser: browserVersion,
    hardwareConcurrency,
  };
}

/** Puts the latest tables into docs/performance.md, between its two bench markers. */
/**
 * `--only … --update`: the results of the last full run with this run's figures in place of
 * theirs (by id; the link rows too when links ran) and a note saying which were measured again.
 */
async function mergedResults(run: Results): Promise<Results> {
  const last = JSON.parse(await readFile(join(repo, 'bench/results.json'), 'utf8')) as Results;
  const ids = new Set(run.figures.map((f) => f.id));
  const figures = [...last.figures.filter((f) => !ids.has(f.id)), ...run.figures];
  const when = run.date.slice(0, 16).replace('T', ' ');
  return {
    ...last,
    figures,
    links: run.links && run.links.length > 0 ? run.links : last.links,
    notes: [...last.notes, `measured again at ${when} UTC (--only ${flags.only ?? 'links'}): ${[...ids].join(', ')}`],
  };
}

async function updatePerformancePage(results: Results, rows: LinkRow[]): Promise<void> {
  const path = join(repo, 'docs/performance.md');
  const page = await readFile(path, 'utf8').catch(() => undefined);
  const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  if (!page?.includes(start) || !page.includes(end)) return;
  const m = results.machine;
  const tables = [
    `Latest full run: ${results.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} × ${m.cpu}, ${m.browser}, ${results.durationSeconds} s.` +
      results.notes
        .filter((n) => n.startsWith('measured again'))
        .map((n) => ` Figures ${n}.`)
        .join(''),
    ...(rows.length > 0 ? [linksMarkdown(rows), timelinesMarkdown(rows)] : []),
    shortMarkdownTable(results.figures),
  ].join('\n\n');
  await writeFile(path, `${page.slice(0, page.indexOf(start) + start.length)}\n\n${tables}\n\n${page.slice(page.indexOf(end))}`);
  // Biome formats Markdown tables too: leave the page as the lint wants it.
  await promisify(execFile)('npx', ['biome', 'format', '--write', path], { cwd: repo }).catch(() => undefined);
}

// ---- the run ---------------------------------------------------------------------------------

const runStarted = Date.now();
const notes: string[] = [];
const figures: Figure[] = [];
const throughput: Throughput[] = [];
const pageErrors: string[] = [];
let linkRows: LinkRow[] = [];

const SETUP_SECONDS = { build: 25, files: 20, page: 5 };
const total =
  (flags['skip-build'] ? 0 : SETUP_SECONDS.build) +
  SETUP_SECONDS.files +
  SETUP_SECONDS.page +
  CASES.filter(selected).reduce((n, c) => n + ROUNDS_BY_CASE[c] * SECONDS_PER_ROUND[c], 0) +
  linkSeconds;
const bar = new cliProgress.SingleBar(
  {
    format: ' bench {bar} {percentage}% | about {eta_formatted} left | {step}',
    noTTYOutput: true,
    notTTYSchedule: 15_000,
    etaBuffer: 40,
    hideCursor: true,
    stream: process.stderr,
  },
  cliProgress.Presets.shades_classic,
);
bar.start(total, 0, { step: 'starting' });
const step = (name: string) => bar.update({ step: name });
const advance = (seconds: number) => bar.increment(seconds);
const roundDone = (c: CaseId) => advance(SECONDS_PER_ROUND[c]);

let work: string | undefined;
let emulator: Emulator | undefined;
let server: PageServer | undefined;
let browser: Browser | undefined;

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await emulator?.close().catch(() => undefined);
  if (work) await rm(work, { recursive: true, force: true });
  work = undefined;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    bar.stop();
    console.error(`\n${signal}: removing the bench files…`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs one case if selected; a crash inside it becomes a failed figure, not the end of the bench. */
async function measure(c: CaseId, meta: FigureMeta, run: () => Promise<Measured | undefined>): Promise<void> {
  if (!selected(c)) return;
  try {
    const measured = await run();
    if (measured) figures.push(figure(meta, measured));
  } catch (error) {
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    notes.push(`${meta.id}: ${message}`);
    figures.push(
      figure(meta, { value: NaN, rounds: 0, detail: `did not complete: ${message}`, samples: [], pass: meta.target ? false : null }),
    );
  }
}

try {
  if (!chromiumPath) throw new Error("No Chromium found: install Debian's chromium package or set CHROME_PATH.");

  if (!flags['skip-build']) {
    step('npm run build');
    await promisify(execFile)('npm', ['run', 'build'], { cwd: repo, maxBuffer: 64 * MiB });
    advance(SETUP_SECONDS.build);
  }

  // ---- size -------------------------------------------------------------------------------
  step('bundle sizes');
  await measure(
    'size',
    {
      short: 'script before first paint, min + gzip',
      id: 'size',
      figure: 'Size of dist/mixpeek-uploader.js with the chunks it imports statically (what loads before first paint), min + gzip',
      baseline: '',
      unit: 'KiB',
      target: { op: '<=', limit: SIZE_TARGET_BYTES / 1024 },
    },
    async () => {
      const [{ firstPaint, total }, alone] = await Promise.all([bundleSize(), dependenciesSize()]);
      roundDone('size');
      return {
        value: firstPaint.gzip / 1024,
        rounds: 1,
        detail:
          `${firstPaint.files.join(' + ')}: ${firstPaint.gzip} bytes, ${fmt(firstPaint.raw / 1024, 1)} KiB minified; ` +
          `all ${total.files.length} files with the chunks loaded once the page is idle (Uppy, hashing workers, virtual list): ` +
          `${fmt(total.gzip / 1024, 1)} KiB (the test's guard: ${SIZE_TOTAL_BUDGET_BYTES / 1024} KiB); ` +
          `lit + @uppy/core + @uppy/aws-s3 + spark-md5 bundled alone (esbuild, min + gzip -9): ${fmt(alone.gzip / 1024, 1)} KiB`,
        samples: [firstPaint.gzip],
      };
    },
  );

  // ---- files (written when first needed), page, emulator, browser -------------------------
  step('building the bench page');
  work = await mkdtemp(join(os.tmpdir(), 'mixpeek-bench-'));
  const dir = work;
  const written = new Map<string, Promise<string[]>>();
  const md5Of = new Map<number, string>();
  /** Writes the files once, the first time a case asks for them (`distinct`: no two alike). */
  const files = (name: string, count: number, size: number, distinct = false): Promise<string[]> => {
    if (!written.has(name)) {
      step(`writing ${count > 1 ? `${count} × ` : ''}${size / MiB} MiB to ${dir}`);
      if (!distinct) md5Of.set(size, md5Of.get(size) ?? patternMd5(size));
      written.set(
        name,
        distinct
          ? writeDistinctFiles(dir, name, count, size)
          : count > 1
            ? writePatternFiles(dir, name, count, size)
            : writePattern(join(dir, `${name}.bin`), size).then(() => [join(dir, `${name}.bin`)]),
      );
    }
    return written.get(name)!;
  };
  await buildPages(join(work, 'www'), { minify: !flags.profile });
  if (flags.profile) await buildElementUnminified(join(work, 'dist'));
  server = await servePages(join(work, 'www'), flags.profile ? join(work, 'dist') : undefined);
  // A confirm's processing takes 100 ms, synchronous or as a task: Mixpeek's OpenAPI gives
  // "about 100 ms" for a synchronous confirm. The emulator's defaults (tasks of 600 ms, for the
  // demo's progress to be seen; synchronous confirms at once) would charge only the element's
  // batch confirms, which always run as tasks.
  emulator = await startEmulator({ storageDir: join(work, 'storage'), taskStepMs: 50, syncConfirmMs: 100 });
  const em = emulator;
  const env: BenchEnv = { apiUrl: em.apiUrl, bucket: em.buckets[0]!, namespace: em.namespace, apiKey: em.apiKey };
  // The browser runs at a lower CPU priority than this process: the emulator and the link proxy
  // stand for storage and a network that are not on the uploading machine, and must not lose
  // the CPU to the page's hashing (2 cores here). Every contender runs the same way.
  const executablePath = join(work, 'chromium-nice');
  await writeFile(executablePath, `#!/bin/sh\nexec nice -n 10 ${JSON.stringify(chromiumPath)} "$@"\n`, {
    mode: 0o755,
  });
  const launch = (extra: string[] = []) =>
    puppeteer.launch({ executablePath, headless: true, args: [...chromiumArgs, ...extra], protocolTimeout: 900_000 });
  browser = await launch();
  const b = browser;
  const pageUrl = `${server.url}/index.html`;
  advance(SETUP_SECONDS.page);

  /** A fresh browser context (its own storage: no upload journal left from a round before) with the files in its input. */
  async function withPageOn<T>(on: Browser, paths: string[], run: (page: Page) => Promise<T>): Promise<T> {
    const context = await on.createBrowserContext();
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      await page.goto(pageUrl);
      await page.waitForFunction(() => 'bench' in window);
      if (paths.length > 0) {
        await (await page.$('input#files'))!.uploadFile(...paths);
        const count = await page.evaluate(() => window.bench.fileCount());
        if (count !== paths.length) throw new Error(`the page got ${count} of ${paths.length} files`);
      }
      const result = await run(page);
      if (flags.trace) processesAtEnd = processTimes();
      return result;
    } finally {
      await context.close();
    }
  }
  const withPage = <T>(paths: string[], run: (page: Page) => Promise<T>) => withPageOn(b, paths, run);
  const hw = await withPage([], (page) => page.evaluate(() => navigator.hardwareConcurrency));

  const checkMd5 = (md5: string, size: number, what: string) => {
    if (md5 !== md5Of.get(size)) throw new Error(`${what}: MD5 ${md5}, expected ${md5Of.get(size)}`);
  };
  const requestChecks: { files: number; calls: ReturnType<typeof apiCalls> }[] = [];
  const elementRuns: { what: string; result: UploadResult }[] = [];
  /** One element upload on a clean emulator; its API calls are kept to check 2 × ceil(N/100) + polls. */
  const elementUpload = async (
    paths: string[],
    what: string,
    options: { wasm?: boolean; instantMd5?: string } = {},
  ): Promise<UploadResult> => {
    em.reset();
    if (flags.trace) cpuSince();
    const r = await withPage(paths, (page) => page.evaluate((e, o) => window.bench.elementUpload(e, o), env, options));
    if (r.confirmed !== paths.length || r.failed !== 0 || !Number.isFinite(r.ms)) {
      throw new Error(`${what}: ${r.confirmed} of ${paths.length} confirmed, ${r.failed} failed ${r.errors.join(' | ')}`);
    }
    requestChecks.push({ files: paths.length, calls: apiCalls(em.requests, asksFirst(paths.map((p) => statSync(p).size))) });
    if (flags.trace) process.stderr.write(`\n${timeline(what, em.requests)}\n`);
    elementRuns.push({ what, result: r });
    return r;
  };
  /** The bare baseline on a clean emulator; `after` runs on the same page once the PUTs are done. */
  const bareUpload = async (paths: string[], concurrency: number, after?: (page: Page) => Promise<number>, hash = false) => {
    em.reset();
    if (flags.trace) cpuSince();
    return withPage(paths, async (page) => {
      const bare = await page.evaluate((e, c, h) => window.bench.bareUpload(e, c, { hash: h }), env, concurrency, hash);
      if (flags.trace) process.stderr.write(`\n${timeline(hash ? 'bare, hashing meanwhile' : 'bare', em.requests)}\n`);
      return { bare: bare.ms, after: after ? await after(page) : NaN };
    });
  };

  // ---- MD5: one worker reading a File vs spark-md5 in memory; hash-wasm; Node --------------
  const md5Rows = sampleRows(
    'worker',
    'memory',
    'wasm',
    'ratio',
    'wasmRatio',
    'node',
    'read',
    'readCoreSeconds',
    'hashSeconds',
    'workerCores',
  );
  await measure(
    'md5',
    {
      id: 'md5-worker',
      short: 'MD5: one worker reading a File',
      figure: 'MD5 throughput of one hashing worker reading a File (spark-md5)',
      baseline: 'spark-md5 over the same 128 MiB already in memory, in a worker of the same browser',
      unit: '×',
      target: { op: '>=', limit: 0.9 },
    },
    async () => {
      const [path] = await files('hash-128MiB', 1, SIZES.hash);
      const rounds = ROUNDS_BY_CASE.md5;
      await withPage([path!], async (page) => {
        for (let r = 0; r < rounds; r += 1) {
          step(`MD5: one worker vs in memory vs hash-wasm (round ${r + 1}/${rounds})`);
          const worker = async () => {
            const before = cpuTimes().busy;
            const result = await page.evaluate(() => window.bench.hashWorker(0));
            md5Rows.workerCores.push((cpuTimes().busy - before) / result.ms);
            return result;
          };
          const memory = () => page.evaluate(() => window.bench.hashMemory(0));
          // Alternate the order, so that a drift of the machine favours neither.
          const [w, m] = r % 2 ? [await worker(), await memory()] : await memory().then(async (m0) => [await worker(), m0] as const);
          const wasm = await page.evaluate(() => window.bench.hashWasm(0));
          checkMd5(w.md5, SIZES.hash, 'worker');
          checkMd5(m.md5, SIZES.hash, 'in memory');
          checkMd5(wasm.md5, SIZES.hash, 'hash-wasm');
          md5Rows.worker.push(mibps(SIZES.hash, w.ms));
          md5Rows.memory.push(mibps(SIZES.hash, m.ms));
          md5Rows.wasm.push(mibps(SIZES.hash, wasm.ms));
          md5Rows.ratio.push(m.ms / w.ms);
          md5Rows.wasmRatio.push(m.ms / wasm.ms);
          // What reading alone costs: the machine's CPU while a worker reads the File, hashing nothing.
          const before = cpuTimes().busy;
          const read = await page.evaluate(() => window.bench.readFile(0));
          if (read.bytes !== SIZES.hash) throw new Error(`reading alone: ${read.bytes} of ${SIZES.hash} bytes`);
          md5Rows.read.push(mibps(SIZES.hash, read.ms));
          md5Rows.readCoreSeconds.push((cpuTimes().busy - before) / 1000);
          md5Rows.hashSeconds.push(m.ms / 1000);
          roundDone('md5');
        }
      });
      const buffer = await readFile(path!);
      for (let r = 0; r < rounds; r += 1) {
        const started = performance.now();
        const md5 = createHash('md5').update(buffer).digest('hex');
        md5Rows.node.push(mibps(SIZES.hash, performance.now() - started));
        checkMd5(md5, SIZES.hash, 'node');
      }
      throughput.push(
        { label: 'spark-md5, bytes in memory (baseline)', mibPerSecond: median(md5Rows.memory) },
        { label: 'spark-md5 worker reading a File (element)', mibPerSecond: median(md5Rows.worker) },
        { label: 'hash-wasm worker reading a File', mibPerSecond: median(md5Rows.wasm) },
        { label: 'reading the File alone in a worker, no hashing', mibPerSecond: median(md5Rows.read) },
        { label: "Node's crypto MD5 (native), in memory", mibPerSecond: median(md5Rows.node) },
      );
      return {
        value: median(md5Rows.ratio),
        rounds,
        detail:
          `worker ${fmt(median(md5Rows.worker))} MiB/s, in memory ${fmt(median(md5Rows.memory))} MiB/s; ` +
          `reading the File alone (its stream, no hashing) takes ${fmt(median(md5Rows.readCoreSeconds), 2)} core-seconds of the machine, ` +
          `hashing it ${fmt(median(md5Rows.hashSeconds), 2)} s of one core: the worker shares the ${os.cpus().length} cores with its reading ` +
          `(${fmt(median(md5Rows.workerCores), 2)} busy while it hashes)`,
        samples: md5Rows.ratio,
      };
    },
  );
  if (md5Rows.wasm.length > 0) {
    const spark = median(md5Rows.memory);
    const node = median(md5Rows.node);
    figures.push(
      figure(
        {
          id: 'md5-hash-wasm',
          figure: 'MD5 throughput, hash-wasm worker reading a File (for the record)',
          baseline: 'spark-md5 over the same bytes in memory, same browser',
          unit: '×',
        },
        {
          value: median(md5Rows.wasmRatio),
          rounds: md5Rows.wasm.length,
          detail: `hash-wasm ${fmt(median(md5Rows.wasm))} MiB/s`,
          samples: md5Rows.wasmRatio,
        },
      ),
      figure(
        {
          id: 'md5-node',
          figure: "MD5 throughput, Node's native crypto (for the record)",
          baseline: 'spark-md5 over the same bytes in memory, in the browser',
          unit: '×',
        },
        {
          value: node / spark,
          rounds: md5Rows.node.length,
          detail: `Node ${fmt(node)} MiB/s: spark-md5 runs at ${fmt((spark / node) * 100)} % of it`,
          samples: md5Rows.node.map((n) => n / spark),
        },
      ),
    );
  }

  // ---- MD5: the pool over 8 files vs one worker --------------------------------------------
  await measure(
    'pool',
    {
      id: 'md5-pool',
      short: 'MD5: pool of workers, 8 files',
      figure: 'Aggregate MD5 throughput of the worker pool over 8 files',
      baseline: 'one worker hashing the same 8 × 32 MiB files',
      unit: '×',
      target: { op: '>=', limit: 1.7 },
    },
    async () => {
      const paths = await files('pool', SIZES.pool.count, SIZES.pool.size);
      const rounds = ROUNDS_BY_CASE.pool;
      const rows = sampleRows('one', 'pool', 'ratio', 'memory', 'oneCores');
      const indices = paths.map((_, i) => i);
      const bytes = SIZES.pool.count * SIZES.pool.size;
      let workers = 0;
      await withPage(paths, async (page) => {
        for (let r = 0; r < rounds; r += 1) {
          step(`MD5: worker pool vs one worker, 8 files (round ${r + 1}/${rounds})`);
          const one = async () => {
            const before = cpuTimes();
            const started = performance.now();
            const result = await page.evaluate((i) => window.bench.hashPool(i, 1), indices);
            rows.oneCores.push((cpuTimes().busy - before.busy) / (performance.now() - started));
            return result;
          };
          const all = () => page.evaluate((i) => window.bench.hashPool(i), indices);
          const [o, p] = r % 2 ? [await one(), await all()] : await all().then(async (p0) => [await one(), p0] as const);
          for (const md5 of [...o.md5s, ...p.md5s]) checkMd5(md5, SIZES.pool.size, 'pool');
          workers = p.workers;
          rows.one.push(mibps(bytes, o.ms));
          rows.pool.push(mibps(bytes, p.ms));
          rows.ratio.push(o.ms / p.ms);
          // The machine's ceiling: the same bytes already in memory, one worker vs as many as the pool.
          const memOne = await page.evaluate((i) => window.bench.hashMemoryWorkers(i, 1), indices);
          const memAll = await page.evaluate((i, n) => window.bench.hashMemoryWorkers(i, n), indices, p.workers);
          for (const md5 of [...memOne.md5s, ...memAll.md5s]) checkMd5(md5, SIZES.pool.size, 'pool, in memory');
          rows.memory.push(memOne.ms / memAll.ms);
          roundDone('pool');
        }
      });
      figures.push(
        figure(
          {
            id: 'md5-pool-memory',
            figure: `MD5 throughput of ${workers} spark-md5 workers over bytes already in memory (for the record: the machine's ceiling for the pool)`,
            baseline: 'one such worker over the same 8 × 32 MiB',
            unit: '×',
          },
          {
            value: median(rows.memory),
            rounds,
            detail: 'no reading: what is left of the pool figure is the cost of reading the Files',
            samples: rows.memory,
          },
        ),
      );
      throughput.push({ label: `worker pool, 8 files at once (${workers} workers)`, mibPerSecond: median(rows.pool) });
      return {
        value: median(rows.ratio),
        rounds,
        detail:
          `${workers} workers (navigator.hardwareConcurrency = ${hw}): ${fmt(median(rows.pool))} MiB/s, one worker ${fmt(median(rows.one))} MiB/s; ` +
          `one worker alone keeps ${fmt(median(rows.oneCores), 2)} of the machine's ${os.cpus().length} cores busy (hashing, reading, the browser's file I/O), ` +
          `so no pool can get more than ${fmt(os.cpus().length / median(rows.oneCores), 2)} × here`,
        samples: rows.ratio,
      };
    },
  );

  // ---- end to end: 200 × 1 MiB --------------------------------------------------------------
  await measure(
    'small',
    {
      id: 'e2e-small',
      short: 'end to end: 200 × 1 MiB',
      figure: 'End-to-end time, 200 files × 1 MiB, upload + confirm',
      baseline: 'a bare page PUTting the same files to presigned URLs of the same storage, same concurrency, no hashing, no confirm',
      unit: '×',
      target: { op: '<=', limit: 1.15 },
    },
    async () => {
      const paths = await files('small', SIZES.small.count, SIZES.small.size);
      const rounds = ROUNDS_BY_CASE.small;
      const rows = sampleRows('element', 'bare', 'ratio', 'noHash', 'noHashRatio', 'floor', 'floorRatio', 'overFloor');
      let concurrency = 4;
      const instantMd5 = patternMd5(SIZES.small.size); // every file is P(1 MiB)
      for (let r = 0; r < rounds; r += 1) {
        step(`200 × 1 MiB: element vs bare PUTs (round ${r + 1}/${rounds})`);
        const element = async () => {
          const e = await elementUpload(paths, '200 × 1 MiB');
          concurrency = e.concurrency;
          return e.ms;
        };
        const bare = async () => (await bareUpload(paths, concurrency)).bare;
        const [e, p] = r % 2 ? await bare().then(async (p0) => [await element(), p0]) : [await element(), await bare()];
        rows.element.push(e!);
        rows.bare.push(p!);
        rows.ratio.push(e! / p!);
        // For the record: the same element with a hasher that answers at once (the engine alone).
        const n = (await elementUpload(paths, '200 × 1 MiB, no hashing', { instantMd5 })).ms;
        rows.noHash.push(n);
        rows.noHashRatio.push(n / p!);
        // For the record: the same PUTs with the pool hashing the same files meanwhile (no engine).
        const f = (await bareUpload(paths, concurrency, undefined, true)).bare;
        rows.floor.push(f);
        rows.floorRatio.push(f / p!);
        rows.overFloor.push(e! / f);
        roundDone('small');
      }
      figures.push(
        figure(
          {
            id: 'e2e-small-no-hash',
            figure: 'End-to-end time, 200 files × 1 MiB, with a hasher that answers at once (for the record: the engine without hashing)',
            baseline: 'the same bare PUTs',
            unit: '×',
          },
          {
            value: median(rows.noHashRatio),
            rounds,
            detail: `element without hashing ${secs(median(rows.noHash))}: the rest of the 200 × 1 MiB figure is hashing's share of 2 cores`,
            samples: rows.noHashRatio,
          },
        ),
        figure(
          {
            id: 'e2e-small-floor',
            figure:
              'End-to-end time, 200 files × 1 MiB, of the bare PUTs with the worker pool hashing the same files meanwhile (for the record: the floor for any uploader that hashes, on this machine)',
            baseline: 'the same bare PUTs',
            unit: '×',
          },
          {
            value: median(rows.floorRatio),
            rounds,
            detail: `bare PUTs + hashing ${secs(median(rows.floor))}; the element takes ${fmt(median(rows.overFloor), 2)} × this floor (its engine's own share)`,
            samples: rows.floorRatio,
          },
        ),
      );
      return {
        value: median(rows.ratio),
        rounds,
        detail: `element ${secs(median(rows.element))}, bare PUTs ${secs(median(rows.bare))} (${concurrency} at once)`,
        samples: rows.ratio,
      };
    },
  );

  // ---- end to end: 1 × 512 MiB, with spark-md5, then with hash-wasm for the record ----------
  for (const wasm of [false, true]) {
    const c: CaseId = wasm ? 'big-wasm' : 'big';
    const what = wasm ? 'one hash-wasm worker' : 'one spark-md5 worker';
    await measure(
      c,
      wasm
        ? {
            id: 'e2e-big-wasm',
            figure: 'End-to-end time, 1 file × 512 MiB, with the hash-wasm hasher (for the record)',
            baseline: 'the larger of: a bare PUT of the same file, and one hash-wasm worker hashing it',
            unit: '×',
          }
        : {
            id: 'e2e-big',
            short: 'end to end: 1 × 512 MiB',
            figure: 'End-to-end time, 1 file × 512 MiB, upload + confirm',
            baseline: 'the larger of: a bare PUT of the same file, and one worker hashing it',
            unit: '×',
            target: { op: '<=', limit: 1.1 },
          },
      async () => {
        const paths = await files('big-512MiB', 1, SIZES.big);
        const rounds = ROUNDS_BY_CASE[c];
        const rows = sampleRows('element', 'bare', 'hash', 'ratio', 'floor', 'floorRatio');
        for (let r = 0; r < rounds; r += 1) {
          step(`1 × 512 MiB${wasm ? ', hash-wasm hasher' : ''}: element vs max(bare PUT, ${what}) (round ${r + 1}/${rounds})`);
          const element = await elementUpload(paths, `1 × 512 MiB${wasm ? ', hash-wasm' : ''}`, { wasm });
          const { bare, after: hash } = await bareUpload(paths, element.concurrency, async (page) => {
            const h = await page.evaluate((w) => (w ? window.bench.hashWasm(0) : window.bench.hashWorker(0)), wasm);
            checkMd5(h.md5, SIZES.big, what);
            return h.ms;
          });
          rows.element.push(element.ms);
          rows.bare.push(bare);
          rows.hash.push(hash);
          rows.ratio.push(element.ms / Math.max(bare, hash));
          if (!wasm) {
            // For the record: the bare PUT with the pool hashing the same file meanwhile (no engine).
            const f = (await bareUpload(paths, element.concurrency, undefined, true)).bare;
            rows.floor.push(f);
            rows.floorRatio.push(f / Math.max(bare, hash));
          }
          roundDone(c);
        }
        if (!wasm) {
          figures.push(
            figure(
              {
                id: 'e2e-big-floor',
                figure:
                  'End-to-end time, 1 file × 512 MiB, of the bare PUT with a worker hashing the same file meanwhile (for the record: the floor for any uploader that hashes, on this machine)',
                baseline: 'the larger of: the bare PUT, and one worker hashing it',
                unit: '×',
              },
              {
                value: median(rows.floorRatio),
                rounds,
                detail: `bare PUT + hashing ${secs(median(rows.floor))}; the element takes ${fmt(median(rows.element) / median(rows.floor), 2)} × this floor`,
                samples: rows.floorRatio,
              },
            ),
          );
        }
        return {
          value: median(rows.ratio),
          rounds,
          detail: `element ${secs(median(rows.element))}, bare PUT ${secs(median(rows.bare))}, ${what} ${secs(median(rows.hash))}`,
          samples: rows.ratio,
        };
      },
    );
  }

  // ---- longest main-thread task while uploading and hashing 1 GiB --------------------------
  await measure(
    'long-task',
    {
      short: 'longest main-thread task, 1 GiB',
      id: 'long-task',
      figure: 'Longest main-thread task while uploading and hashing 1 GiB (Long Tasks API)',
      baseline: '',
      unit: 'ms',
      target: { op: '<', limit: 50 },
    },
    async () => {
      const paths = await files('long-1GiB', 1, SIZES.longTask);
      step('1 GiB upload: longest main-thread task');
      const result = await elementUpload(paths, '1 × 1 GiB');
      roundDone('long-task');
      const others = elementRuns.filter((r) => r.result !== result);
      const worst = others.reduce((w, r) => (r.result.longestTask > w.result.longestTask ? r : w), {
        what: '',
        result: { longestTask: 0 } as UploadResult,
      });
      return {
        value: result.longestTask,
        display: result.longTasks === 0 ? 'none' : undefined,
        rounds: 1,
        detail:
          `${result.longTasks === 0 ? 'no long task (the API reports tasks of 50 ms and more)' : `${result.longTasks} long task(s)`}; ` +
          `a 20 ms timer ran late by ${fmt(result.maxTimerLag)} ms at most; upload + confirm took ${secs(result.ms)}` +
          (result.longestFrame ? `; longest frame's scripts: ${result.longestFrame}` : '') +
          `; in the other ${others.length} element runs: ${worst.result.longestTask === 0 ? 'no long task' : `${fmt(worst.result.longestTask)} ms (${worst.what}${worst.result.longestFrame ? `; ${worst.result.longestFrame}` : ''})`}`,
        samples: [result.longestTask],
      };
    },
  );

  // ---- heap growth while hashing 2 GiB -----------------------------------------------------
  await measure(
    'heap',
    {
      short: 'heap growth, hashing 2 GiB',
      id: 'heap',
      figure: 'JS heap growth while hashing a 2 GiB file',
      baseline: '',
      unit: 'MiB',
      target: { op: '<', limit: 64 },
    },
    async () => {
      const paths = await files('heap-2GiB', 1, SIZES.heap);
      step('2 GiB hash: JS heap growth');
      const { growth, ms, workers } = await withPage(paths, async (page) => {
        const pageSession = await page.createCDPSession();
        const expected = await page.evaluate(() => window.bench.prepareHasher());
        for (let i = 0; i < 50 && page.workers().length < expected; i += 1) await sleep(100);
        // Listed at each sample: the pool starts its reading worker with the first big file.
        const sessions = (): CDPSession[] => [pageSession, ...page.workers().map((w) => w.client)];
        await Promise.all(sessions().map((s) => s.send('HeapProfiler.collectGarbage').catch(() => undefined)));
        const usage = async () => {
          const all = await Promise.all(sessions().map((s) => s.send('Runtime.getHeapUsage').catch(() => undefined)));
          return all.reduce((n, u) => n + (u ? u.usedSize + ((u as { backingStorageSize?: number }).backingStorageSize ?? 0) : 0), 0);
        };
        const base = await usage();
        let peak = base;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            peak = Math.max(peak, await usage());
            await sleep(100);
          }
        })();
        const hashed = await page.evaluate(() => window.bench.runHasher(0));
        sampling = false;
        await sampler;
        checkMd5(hashed.md5, SIZES.heap, '2 GiB');
        return { growth: (peak - base) / MiB, ms: hashed.ms, workers: sessions().length - 1 };
      });
      roundDone('heap');
      return {
        value: growth,
        rounds: 1,
        detail: `peak of used JS heap + ArrayBuffer backing stores of the page and its ${workers} workers (CDP, every 100 ms) over the level before; hashed at ${fmt(mibps(SIZES.heap, ms))} MiB/s`,
        samples: [growth],
      };
    },
  );

  // ---- addFiles of 10,000 files to the first rendered list ---------------------------------
  await measure(
    'list',
    {
      short: 'addFiles(10,000) to first list',
      id: 'list',
      figure: 'Time from addFiles of 10,000 files to the first rendered list',
      baseline: '',
      unit: 'ms',
      target: { op: '<', limit: 500 },
    },
    async () => {
      const rounds = ROUNDS_BY_CASE.list;
      const times: number[] = [];
      for (let r = 0; r < rounds; r += 1) {
        step(`addFiles(10,000 files) to the first rendered list (round ${r + 1}/${rounds})`);
        const result = await withPage([], (page) => page.evaluate((e, n) => window.bench.renderList(e, n), env, SIZES.list));
        if (!result.rendered) throw new Error(`the list did not show the first file within ${fmt(result.ms)} ms`);
        times.push(result.ms);
        roundDone('list');
      }
      return {
        value: median(times),
        rounds,
        detail: `until the first file's row is on screen; rounds: ${times.map((t) => fmt(t)).join(', ')} ms`,
        samples: times,
      };
    },
  );

  // ---- addFiles of 100,000 files: first row, longest task, heap -----------------------------
  const manyMeta: Record<'first' | 'task' | 'heap', FigureMeta> = {
    first: {
      id: 'many-first-row',
      short: 'addFiles(100,000): first row',
      figure: 'Time from addFiles of 100,000 files to the first row on screen',
      baseline: '',
      unit: 'ms',
      target: { op: '<=', limit: 500 },
    },
    task: {
      id: 'many-long-task',
      short: 'addFiles(100,000): longest task',
      figure: 'Longest main-thread task while 100,000 files are added and listed (Long Tasks API)',
      baseline: '',
      unit: 'ms',
      target: { op: '<=', limit: 100 },
    },
    heap: {
      id: 'many-heap',
      short: 'addFiles(100,000): JS heap',
      figure: 'Peak JS heap while 100,000 files are added and listed (page and workers)',
      baseline: '',
      unit: 'MiB',
      target: { op: '<=', limit: 150 },
    },
  };
  await measure('many', manyMeta.first, async () => {
    const rounds = ROUNDS_BY_CASE.many;
    const rows = sampleRows('first', 'listed', 'watched', 'task', 'lag', 'heap', 'before');
    let frame: string | undefined;
    let longTasks = 0;
    for (let r = 0; r < rounds; r += 1) {
      step(`addFiles(100,000 files): first row, longest task, heap (round ${r + 1}/${rounds})`);
      const m = await withPage([], (page) => measureManyFiles(page, env, SIZES.many));
      if (m.files !== SIZES.many) throw new Error(`${m.files} of ${SIZES.many} files in the list`);
      rows.first.push(m.firstRowMs);
      rows.listed.push(m.listedMs);
      rows.watched.push(m.watchedMs);
      rows.task.push(m.longestTask);
      rows.lag.push(m.maxTimerLag);
      rows.heap.push(m.peakHeapMiB);
      rows.before.push(m.heapBeforeMiB);
      longTasks += m.longTasks;
      if (m.longestTask >= Math.max(...rows.task)) frame = m.longestFrame;
      roundDone('many');
    }
    const list = (xs: number[], unit: string) => `${xs.map((x) => fmt(x)).join(', ')} ${unit}`;
    figures.push(
      figure(manyMeta.task, {
        value: median(rows.task),
        display: Math.max(...rows.task) === 0 ? 'none' : undefined,
        rounds,
        detail:
          `median of each round's longest task (${list(rows.task, 'ms')}; 0 = none of 50 ms or more), ${longTasks} long tasks in all; ` +
          `watched from addFiles until every file was listed (${list(rows.listed, 'ms')}) and the page went 1 s without a long task (${list(rows.watched, 'ms')}); ` +
          `a 20 ms timer ran late by ${list(rows.lag, 'ms')} at most` +
          (frame ? `; longest frame's scripts: ${frame}` : ''),
        samples: rows.task,
      }),
      figure(manyMeta.heap, {
        value: median(rows.heap),
        rounds,
        detail: `used JS heap of the page and its workers (CDP, every 100 ms); ${fmt(median(rows.before))} MiB before addFiles with the element on the page and the 100,000 Files made; rounds: ${list(rows.heap, 'MiB')}`,
        samples: rows.heap,
      }),
    );
    if (rows.first.some((x) => !Number.isFinite(x))) throw new Error('the first row did not come within 60 s');
    return {
      value: median(rows.first),
      rounds,
      detail: `in-memory files, on an idle page with the element's chunks loaded; rounds: ${list(rows.first, 'ms')}`,
      samples: rows.first,
    };
  });
  if (selected('many') && !figures.some((f) => f.id === manyMeta.task.id)) {
    for (const meta of [manyMeta.task, manyMeta.heap])
      figures.push(figure(meta, { value: NaN, rounds: 0, detail: 'did not complete', samples: [], pass: false }));
  }

  // ---- the links: element, Uppy glue and bare page on shaped links --------------------------
  if (selected('links')) {
    try {
      if (LINKS_RUN.some((l) => l !== 'loopback')) {
        step('checking the link proxy');
        let check = await checkShaper();
        if (!check.ok) check = await checkShaper(); // once more: the machine may have been busy
        const text =
          `link proxy self-check: 8 MiB through 100 Mbit/s in ${fmt(check.oneMs)} ms, two connections of 4 MiB at once ${fmt(check.twoMs)} ms ` +
          `(${fmt(check.expectedMs)} ms expected), a 40 ms round trip's echo ${fmt(check.echoMs)} ms`;
        notes.push(check.ok ? text : `WARNING, ${text}: off by more than the check allows, the link figures are suspect`);
      }
      const outcome = await runLinkCases({
        emulator: em,
        env,
        links: LINKS_RUN,
        workloads: WORKLOADS_RUN,
        rounds: ROUNDS_BY_CASE.links,
        files,
        launch,
        withPage: withPageOn,
        step,
        roundDone: (l, w) => advance(LINK_SECONDS[l][w]),
        trace: flags.trace ? (line) => process.stderr.write(`\ntrace ${line}\n`) : undefined,
        cpuSince: flags.trace ? cpuSince : undefined,
        profileDir: flags.profile,
      });
      linkRows = outcome.rows;
      figures.push(...linkFigures(linkRows), ...failedLinkFigures(outcome.failures));
      for (const f of outcome.failures) notes.push(`links, ${f.link}, ${f.workload}: did not complete: ${f.message}`);
    } catch (error) {
      const message = (error as Error).message?.split('\n')[0] ?? String(error);
      notes.push(`links: did not complete: ${message}`);
      figures.push(
        figure(
          { id: 'links', group: 'links', figure: 'The link cases', baseline: '', unit: '×', target: { op: '<=', limit: 1 } },
          { value: NaN, rounds: 0, detail: `did not complete: ${message}`, samples: [], pass: false },
        ),
      );
    }
  }

  // ---- duplicates: skip-duplicates auto ÷ never on shaped links ------------------------------
  if (selected('duplicates')) {
    figures.push(
      ...(await runDuplicateCases({
        emulator: em,
        env,
        rounds: ROUNDS_BY_CASE.duplicates,
        files,
        launch,
        withPage: withPageOn,
        step,
        roundDone: (id) => advance(DUPLICATE_SECONDS[id] ?? 0),
        trace: flags.trace ? (line) => process.stderr.write(`\ntrace ${line}\n`) : undefined,
      })),
    );
  }

  // ---- API requests, from every element run above -------------------------------------------
  if (requestChecks.length > 0) {
    const exact = requestChecks.every(
      ({ files: n, calls }) =>
        calls.creates - calls.probes === Math.ceil(n / 100) && calls.confirms === Math.ceil(n / 100) && calls.other === 0,
    );
    const shown = requestChecks.find((c) => c.files === SIZES.small.count) ?? requestChecks[0]!;
    const byN = new Map<number, string>();
    for (const { files: n, calls } of requestChecks) {
      byN.set(
        n,
        `N = ${n}: ${calls.creates - calls.probes} batch creates${calls.probes ? ` + ${calls.probes} duplicate question` : ''} + ${calls.confirms} batch confirms + ${calls.polls} task polls + ${calls.other} other`,
      );
    }
    figures.push(
      figure(
        {
          id: 'requests',
          figure: `API requests for N = ${shown.files} files`,
          baseline: "2 × ceil(N/100) + task polls (+ 1 when 'auto' asks about duplicates first)",
          unit: 'requests',
          target: { op: '==', limit: 2 * Math.ceil(shown.files / 100) + shown.calls.polls + shown.calls.probes },
        },
        {
          value: shown.calls.total,
          pass: exact,
          rounds: requestChecks.length,
          detail: `checked in all ${requestChecks.length} element runs: ${[...byN.values()].join('; ')} (CORS preflights not counted)`,
          samples: requestChecks.map((c) => c.calls.total),
        },
      ),
    );
  }
} finally {
  bar.stop();
  const browserVersion = (await browser?.version().catch(() => undefined)) ?? 'unknown';
  await cleanup();
  if (pageErrors.length > 0) notes.push(`page errors: ${[...new Set(pageErrors)].slice(0, 5).join(' | ')}`);
  const order = [
    'md5-worker',
    'md5-pool',
    'md5-hash-wasm',
    'md5-node',
    'e2e-small',
    'e2e-big',
    'e2e-big-wasm',
    'long-task',
    'heap',
    'list',
    'many-first-row',
    'many-long-task',
    'many-heap',
    'requests',
    'size',
    'dup-90-100m',
    'dup-0-100m',
    'dup-new-256m-1g',
  ];
  // The link figures keep their order, after the others.
  const rank = (f: Figure) => (f.group ? order.length : order.indexOf(f.id));
  figures.sort((a, b) => rank(a) - rank(b));
  const results: Results = {
    date: new Date().toISOString(),
    machine: machine(browserVersion, os.availableParallelism()),
    durationSeconds: Math.round((Date.now() - runStarted) / 1000),
    figures,
    throughput,
    links: linkRows,
    notes: [
      `each ratio is the median of per-round ratios, baseline and subject measured in the same round; ` +
        `${ROUNDS} rounds, fewer for the huge files: 512 MiB ${ROUNDS_BY_CASE.big} (with hash-wasm ${ROUNDS_BY_CASE['big-wasm']}), 1 GiB and 2 GiB 1`,
      'the emulator spends 100 ms on each confirm, synchronous (syncConfirmMs 100) or as a task (taskStepMs 50); Chromium runs under nice -n 10, below the emulator and the link proxies',
      ...(linkRows.length > 0
        ? [
            `links: storage behind a proxy on 127.0.0.1 whose bandwidth is shared by all connections (one token bucket each way), the API behind an added round trip (half each way); the browser reaches storage through the proxy by --host-resolver-rules, keeping the signed Host`,
          ]
        : []),
      ...notes,
    ],
  };
  if (figures.length > 0) {
    if (figures.some((f) => !f.group)) console.log(consoleTable(figures));
    if (linkRows.length > 0) {
      console.log(linksConsoleTable(linkRows));
      for (const line of linksRequestsLines(linkRows)) console.log(`requests: ${line}`);
    }
    if (flags.markdown) {
      console.log(`\n${markdownTable(figures)}\n`);
      if (linkRows.length > 0) console.log(`${linksMarkdown(linkRows)}\n\n${timelinesMarkdown(linkRows)}\n`);
    }
    for (const note of results.notes) console.log(`note: ${note}`);
    const m = results.machine;
    console.log(`machine: ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; Chromium ${m.browser}`);
    const met = figures.filter((f) => f.pass === true).length;
    const missed = figures.filter((f) => f.pass === false).length;
    const written = !only ? results : flags.update ? await mergedResults(results) : undefined;
    if (written) {
      await writeFile(join(repo, 'bench/results.json'), `${JSON.stringify(written, null, 2)}\n`);
      await writeFile(join(repo, 'bench/results.svg'), svgChart(written));
      await updatePerformancePage(written, (written.links ?? []) as LinkRow[]);
    }
    console.log(
      `targets: ${met} met, ${missed} missed${written ? ' · wrote bench/results.json and bench/results.svg' : ''} · took ${results.durationSeconds} s`,
    );
  }
}
