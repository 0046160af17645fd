/**
 * The duplicate cases (issue 18): the element uploads a folder with `skip-duplicates` left at
 * `auto`, and the same folder with `never`, in the same round, on a shaped link, each on a
 * clean emulator whose bucket is first given the files it "already has" (seed.ts, outside the
 * timed run, in a fresh browser context: no journal tells the element anything). The figure is
 * the median of per-round ratios auto ÷ never.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Emulator } from '../../src/emulator/index.ts';
import type { BenchEnv, UploadResult } from '../pages/api.ts';
import { LINKS, type LinkId, requestsByKind, type RunningLink, startLink } from '../support/links.ts';
import { type Figure, judge, type Target } from '../support/report.ts';
import { seedBucket } from '../support/seed.ts';
import { median } from './links.ts';

const MiB = 1024 * 1024;
type Mode = 'auto' | 'never';

export interface DuplicateCase {
  id: string;
  label: string;
  link: LinkId;
  count: number;
  /** Bytes per file. */
  size: number;
  /** Files of the folder the bucket already has: every one but each tenth, or none. */
  known: 'nine-in-ten' | 'none';
  /** Files on disk: `distinct` contents, or the link cases' P(n) file (one file). */
  files: { name: string; distinct: boolean };
  target: Target;
}

export const DUPLICATE_CASES: DuplicateCase[] = [
  {
    id: 'dup-90-100m',
    label: '200 × 1 MiB, 90 % already in Mixpeek, 100 Mbit/s',
    link: '100m',
    count: 200,
    size: MiB,
    known: 'nine-in-ten',
    files: { name: 'distinct-1MiB', distinct: true },
    target: { op: '<=', limit: 0.2 },
  },
  {
    id: 'dup-0-100m',
    label: '200 × 1 MiB, none in Mixpeek, 100 Mbit/s',
    link: '100m',
    count: 200,
    size: MiB,
    known: 'none',
    files: { name: 'distinct-1MiB', distinct: true },
    target: { op: '<=', limit: 1.05 },
  },
  {
    id: 'dup-new-256m-1g',
    label: '1 × 256 MiB, new, 1 Gbit/s',
    link: '1g',
    count: 1,
    size: 256 * MiB,
    known: 'none',
    files: { name: 'big-256MiB', distinct: false },
    target: { op: '<=', limit: 1.05 },
  },
];

/** Rough seconds per round of each case, for the progress bar. */
export const DUPLICATE_SECONDS: Record<string, number> = { 'dup-90-100m': 30, 'dup-0-100m': 40, 'dup-new-256m-1g': 12 };

export interface DuplicateCaseContext {
  emulator: Emulator;
  /** The emulator reached directly (seeding goes around the link). */
  env: BenchEnv;
  rounds: number;
  /** The case's files on disk (written once). */
  files(name: string, count: number, size: number, distinct: boolean): Promise<string[]>;
  launch(extraArgs: string[]): Promise<Browser>;
  withPage<T>(browser: Browser, paths: string[], run: (page: Page) => Promise<T>): Promise<T>;
  step(name: string): void;
  roundDone(id: string): void;
  trace?: ((line: string) => void) | undefined;
}

interface ModeRun {
  mode: Mode;
  round: number;
  ms: number;
  requests: Record<string, number>;
}

/** Runs each case; one that fails becomes a failed figure and the others still run. */
export async function runDuplicateCases(ctx: DuplicateCaseContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const byLink = new Map<LinkId, DuplicateCase[]>();
  for (const c of DUPLICATE_CASES) byLink.set(c.link, [...(byLink.get(c.link) ?? []), c]);
  for (const [linkId, cases] of byLink) {
    let running: RunningLink | undefined;
    let browser: Browser | undefined;
    try {
      running = await startLink(LINKS[linkId], ctx.emulator);
      browser = await ctx.launch(running.chromiumArgs);
      for (const c of cases) {
        try {
          figures.push(await runCase(ctx, browser, { ...ctx.env, apiUrl: running.apiUrl }, c));
        } catch (error) {
          figures.push(failed(c, error));
        }
      }
    } catch (error) {
      for (const c of cases) if (!figures.some((f) => f.id === c.id)) figures.push(failed(c, error));
    } finally {
      await browser?.close().catch(() => undefined);
      await running?.close();
    }
  }
  return figures;
}

async function runCase(ctx: DuplicateCaseContext, browser: Browser, linkEnv: BenchEnv, c: DuplicateCase): Promise<Figure> {
  const paths = await ctx.files(c.files.name, c.count, c.size, c.files.distinct);
  const known = c.known === 'none' ? [] : paths.filter((_, i) => i % 10 !== 9);
  const ratios: number[] = [];
  const runs: ModeRun[] = [];
  for (let round = 0; round < ctx.rounds; round += 1) {
    const ms: Partial<Record<Mode, number>> = {};
    for (const mode of round % 2 === 0 ? (['auto', 'never'] as const) : (['never', 'auto'] as const)) {
      ctx.step(`${c.label}: skip-duplicates="${mode}" (round ${round + 1}/${ctx.rounds})`);
      ctx.emulator.reset();
      await seedBucket(ctx.env, known);
      const mark = ctx.emulator.requests.length;
      const result = await ctx.withPage(browser, paths, (page) =>
        page.evaluate((e, m) => window.bench.elementUpload(e, { skipDuplicates: m }), linkEnv, mode),
      );
      const requests = requestsByKind(ctx.emulator.requests.slice(mark));
      check(c, mode, result, known.length, requests);
      const run = { mode, round, ms: result.marks.ended - result.marks.started, requests };
      runs.push(run);
      ms[mode] = run.ms;
      ctx.trace?.(`${c.label}, ${mode}: ${Math.round(run.ms)} ms; ${JSON.stringify(requests)}`);
    }
    ratios.push(ms.auto! / ms.never!);
    ctx.roundDone(c.id);
  }
  const value = median(ratios);
  const of = (m: Mode) => median(runs.filter((r) => r.mode === m).map((r) => r.ms));
  const puts = (m: Mode) => runs.find((r) => r.mode === m)?.requests.PUT ?? 0;
  return {
    id: c.id,
    figure: `${c.label}: skip-duplicates auto ÷ never`,
    short: `${c.label.replace(' already in Mixpeek', ' known')}: auto ÷ never`,
    baseline: 'the same upload with skip-duplicates="never" in the same round',
    unit: '×',
    value,
    target: c.target,
    pass: judge(value, c.target),
    rounds: ratios.length,
    detail: `auto ${(of('auto') / 1000).toFixed(2)} s (${puts('auto')} PUTs), never ${(of('never') / 1000).toFixed(2)} s (${puts('never')} PUTs); ${known.length} of ${c.count} files in the bucket before, no journal`,
    samples: ratios,
  };
}

/** Every file ended as it should, or the run does not count. */
function check(c: DuplicateCase, mode: Mode, r: UploadResult, known: number, requests: Record<string, number>): void {
  const where = `${c.label}, ${mode}`;
  if (r.failed !== 0) throw new Error(`${where}: ${r.failed} failed ${r.errors.join(' | ')}`);
  const sent = mode === 'never' ? c.count : c.count - known;
  if (r.confirmed + r.skipped !== c.count || r.skipped !== c.count - sent) {
    throw new Error(`${where}: ${r.confirmed} confirmed and ${r.skipped} skipped of ${c.count}`);
  }
  if ((requests.PUT ?? 0) !== sent) throw new Error(`${where}: ${requests.PUT ?? 0} PUTs, ${sent} expected`);
}

function failed(c: DuplicateCase, error: unknown): Figure {
  return {
    id: c.id,
    figure: `${c.label}: skip-duplicates auto ÷ never`,
    baseline: '',
    unit: '×',
    value: Number.NaN,
    target: c.target,
    pass: false,
    rounds: 0,
    detail: `did not complete: ${(error as Error).message?.split('\n')[0] ?? String(error)}`,
    samples: [],
  };
}
