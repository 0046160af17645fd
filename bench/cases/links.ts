/**
 * The link cases: on each link and workload, the element, the Uppy glue (the peer) and the bare
 * page upload the same disk-backed files to the same emulator, one after another in an order
 * that turns each round, each on a clean emulator and a fresh browser context. Each ratio is
 * taken within a round; the figures are medians of rounds.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Emulator } from '../../src/emulator/index.ts';
import type { BenchEnv, LinkRunResult, UploadResult } from '../pages/api.ts';
import {
  LINKS,
  type LinkId,
  linkTargets,
  requestsByKind,
  type RunningLink,
  startLink,
  type Timeline,
  timelineOf,
  WORKLOADS,
  type WorkloadId,
} from '../support/links.ts';
import { pageProfiled, processProfiled } from '../support/profile.ts';
import { type Figure, judge, type Target } from '../support/report.ts';

export type Contender = 'element' | 'uppy' | 'bare';
export const CONTENDER_NAMES: Record<Contender, string> = { element: 'element', uppy: 'Uppy glue', bare: 'bare' };

export interface LinkRun {
  contender: Contender;
  round: number;
  /** ms from the run's first request to its end. */
  ms: number;
  timeline: Timeline;
  requests: Record<string, number>;
}

/** One link × workload: medians, per-round ratios and every run. */
export interface LinkRow {
  link: LinkId;
  linkLabel: string;
  workload: WorkloadId;
  workloadLabel: string;
  rounds: number;
  /** Parallel PUTs of all three (the element's default). */
  concurrency: number;
  /** Median ms of each contender. */
  medianMs: Record<Contender, number>;
  /** Per-round ratios: element ÷ bare, element ÷ Uppy glue, Uppy glue ÷ bare. */
  ratios: { elementBare: number[]; elementUppy: number[]; uppyBare: number[] };
  targets: { bare?: Target | undefined; uppy?: Target | undefined };
  runs: LinkRun[];
}

export interface LinkCaseContext {
  emulator: Emulator;
  env: BenchEnv;
  links: readonly LinkId[];
  workloads: readonly WorkloadId[];
  rounds: number;
  /** The workload's files on disk (written once). */
  files(name: string, count: number, size: number): Promise<string[]>;
  /** A browser started with these extra arguments; the context closes it. */
  launch(extraArgs: string[]): Promise<Browser>;
  /** A fresh browser context of `browser` with `paths` in the page's file input. */
  withPage<T>(browser: Browser, paths: string[], run: (page: Page) => Promise<T>): Promise<T>;
  step(name: string): void;
  /** One round of one workload on one link is done. */
  roundDone(link: LinkId, workload: WorkloadId): void;
  /** `--trace`: each run's timeline and requests. */
  trace?: ((line: string) => void) | undefined;
  /** `--trace`: CPU used by each kind of process since the last call (its first call marks the start). */
  cpuSince?: (() => string) | undefined;
  /** `--profile DIR`: CPU profiles are written there, of each element run's page and of this process for every run. */
  profileDir?: string | undefined;
}

export const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The order of the contenders in round `r`: the element first in round 0 (it tells the concurrency), then turning. */
const ORDER: Contender[][] = [
  ['element', 'bare', 'uppy'],
  ['bare', 'uppy', 'element'],
  ['uppy', 'element', 'bare'],
];

/** A link and workload whose runs did not complete, and why. */
export interface LinkFailure {
  link: LinkId;
  workload: WorkloadId;
  message: string;
}

/** Runs every selected link and workload; one that fails is reported and the others still run. */
export async function runLinkCases(ctx: LinkCaseContext): Promise<{ rows: LinkRow[]; failures: LinkFailure[] }> {
  const rows: LinkRow[] = [];
  const failures: LinkFailure[] = [];
  const fail = (link: LinkId, workloads: readonly WorkloadId[], error: unknown) => {
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    for (const workload of workloads) failures.push({ link, workload, message });
  };
  for (const linkId of ctx.links) {
    let running: RunningLink | undefined;
    let browser: Browser | undefined;
    try {
      running = await startLink(LINKS[linkId], ctx.emulator);
      browser = await ctx.launch(running.chromiumArgs);
    } catch (error) {
      fail(linkId, ctx.workloads, error);
      await running?.close();
      continue;
    }
    try {
      const env: BenchEnv = { ...ctx.env, apiUrl: running.apiUrl };
      await warmUp(ctx, browser, env, linkId);
      for (const workloadId of ctx.workloads) {
        try {
          rows.push(await runWorkload(ctx, browser, env, linkId, workloadId));
        } catch (error) {
          fail(linkId, [workloadId], error);
        }
      }
    } finally {
      await browser.close().catch(() => undefined);
      await running.close();
    }
  }
  return { rows, failures };
}

/** Files each contender uploads once, unmeasured, in a browser just started for a link. */
const WARM_UP_FILES = 20;

/**
 * One unmeasured run of each contender on {@link WARM_UP_FILES} files of 1 MiB: the first page
 * of a browser just started ran 1-2 s slower than later ones (1,000 x 8 KiB at 100 Mbit/s),
 * and that penalty fell on whichever contender came first.
 */
async function warmUp(ctx: LinkCaseContext, browser: Browser, env: BenchEnv, linkId: LinkId): Promise<void> {
  const small = WORKLOADS['200x1m'];
  const paths = (await ctx.files(small.files, small.count, small.size)).slice(0, WARM_UP_FILES);
  ctx.step(`${LINKS[linkId].label}: warming up the browser (not measured)`);
  let concurrency = 4;
  for (const contender of ORDER[0]!) {
    ctx.emulator.reset();
    const result = await ctx.withPage(browser, paths, (page) => runOne(page, contender, env, concurrency));
    if (contender === 'element') concurrency = (result as UploadResult).concurrency;
  }
}

async function runWorkload(
  ctx: LinkCaseContext,
  browser: Browser,
  env: BenchEnv,
  linkId: LinkId,
  workloadId: WorkloadId,
): Promise<LinkRow> {
  const link = LINKS[linkId];
  const workload = WORKLOADS[workloadId];
  const paths = await ctx.files(workload.files, workload.count, workload.size);
  const runs: LinkRun[] = [];
  const ratios = { elementBare: [] as number[], elementUppy: [] as number[], uppyBare: [] as number[] };
  let concurrency = 0;
  for (let round = 0; round < ctx.rounds; round += 1) {
    const ms: Partial<Record<Contender, number>> = {};
    for (const contender of ORDER[round % ORDER.length]!) {
      ctx.step(`${link.label}, ${workload.label}: ${CONTENDER_NAMES[contender]} (round ${round + 1}/${ctx.rounds})`);
      ctx.emulator.reset();
      ctx.cpuSince?.();
      const result = await ctx.withPage(browser, paths, (page) => {
        const go = () => runOne(page, contender, env, concurrency);
        const dir = ctx.profileDir;
        if (!dir) return go();
        const name = `${linkId}-${workloadId}-${round + 1}`;
        const inPage = contender === 'element' ? () => pageProfiled(page, join(dir, `${name}.cpuprofile`), go) : go;
        return processProfiled(join(dir, `${name}-${contender}-node.cpuprofile`), inPage);
      });
      if (contender === 'element') concurrency = (result as UploadResult).concurrency;
      const marks = result.marks;
      const run: LinkRun = {
        contender,
        round,
        ms: marks.ended - marks.started,
        timeline: timelineOf(marks, ctx.emulator.requests),
        requests: requestsByKind(ctx.emulator.requests),
      };
      checkRun(contender, result, workload.count, run.requests);
      runs.push(run);
      ms[contender] = run.ms;
      ctx.trace?.(
        `${link.label}, ${workload.label}, ${CONTENDER_NAMES[contender]}: ${Math.round(run.ms)} ms; ` +
          `${JSON.stringify(run.timeline)}; ${JSON.stringify(run.requests)}; ${ctx.cpuSince?.() ?? ''}`,
      );
    }
    ratios.elementBare.push(ms.element! / ms.bare!);
    ratios.elementUppy.push(ms.element! / ms.uppy!);
    ratios.uppyBare.push(ms.uppy! / ms.bare!);
    ctx.roundDone(linkId, workloadId);
  }
  const of = (c: Contender) => median(runs.filter((r) => r.contender === c).map((r) => r.ms));
  return {
    link: linkId,
    linkLabel: link.label,
    workload: workloadId,
    workloadLabel: workload.label,
    rounds: ctx.rounds,
    concurrency,
    medianMs: { element: of('element'), uppy: of('uppy'), bare: of('bare') },
    ratios,
    targets: linkTargets(linkId, workloadId),
    runs,
  };
}

async function runOne(page: Page, contender: Contender, env: BenchEnv, concurrency: number): Promise<UploadResult | LinkRunResult> {
  if (contender === 'element') return page.evaluate((e) => window.bench.elementUpload(e), env);
  if (contender === 'bare') return page.evaluate((e, c) => window.bench.bareLinkUpload(e, c), env, concurrency);
  return page.evaluate((e, c) => window.bench.uppyGlueUpload(e, c), env, concurrency);
}

/** Every file stored (and confirmed, but by the bare page), or the run does not count. */
function checkRun(contender: Contender, result: UploadResult | LinkRunResult, count: number, requests: Record<string, number>): void {
  const name = CONTENDER_NAMES[contender];
  if ((requests.PUT ?? 0) < count) throw new Error(`${name}: ${requests.PUT ?? 0} PUTs for ${count} files`);
  if (contender === 'bare') return;
  const failed = 'failed' in result ? result.failed : result.errors.length;
  if (result.confirmed !== count || failed !== 0) {
    throw new Error(`${name}: ${result.confirmed} of ${count} confirmed, ${failed} failed ${result.errors.join(' | ')}`);
  }
}

const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The targeted figures of a link and workload that did not complete, as failed. */
export function failedLinkFigures(failures: LinkFailure[]): Figure[] {
  return failures.flatMap(({ link, workload, message }) => {
    const targets = linkTargets(link, workload);
    const where = `${WORKLOADS[workload].label}, ${LINKS[link].label}`;
    return (['bare', 'uppy'] as const).flatMap((k) => {
      const target = targets[k];
      if (!target) return [];
      return [
        {
          id: `link-${link}-${workload}-${k}`,
          group: 'links' as const,
          figure: `End to end, ${where}: element ÷ ${k === 'bare' ? 'bare' : 'Uppy glue'}`,
          baseline: '',
          unit: '×',
          value: Number.NaN,
          target,
          pass: false,
          rounds: 0,
          detail: `did not complete: ${message}`,
          samples: [],
        },
      ];
    });
  });
}

/** The figures of the link rows: element ÷ bare, element ÷ Uppy glue (targets), Uppy glue ÷ bare (for the record). */
export function linkFigures(rows: LinkRow[]): Figure[] {
  return rows.flatMap((row) => {
    const where = `${row.workloadLabel}, ${row.linkLabel}`;
    const short = `${row.workloadLabel}, ${row.link === 'loopback' ? 'loopback' : row.link === '1g' ? '1 Gbit/s' : '100 Mbit/s'}`;
    const times = `element ${fmtMs(row.medianMs.element)}, Uppy glue ${fmtMs(row.medianMs.uppy)}, bare ${fmtMs(row.medianMs.bare)} (${row.concurrency} PUTs at once)`;
    const make = (
      id: string,
      figure: string,
      baseline: string,
      samples: number[],
      target: Target | undefined,
      shortName?: string,
    ): Figure => {
      const value = median(samples);
      return {
        id,
        group: 'links',
        figure,
        ...(shortName ? { short: shortName } : {}),
        baseline,
        unit: '×',
        value,
        ...(target ? { target } : {}),
        pass: judge(value, target),
        rounds: samples.length,
        detail: times,
        samples,
      };
    };
    const base = `link-${row.link}-${row.workload}`;
    return [
      make(
        `${base}-bare`,
        `End to end, ${where}: element ÷ bare`,
        'the bare page (batch creates + PUTs, no hashing, no confirm) in the same round',
        row.ratios.elementBare,
        row.targets.bare,
        row.targets.bare ? `${short}: ÷ bare` : undefined,
      ),
      make(
        `${base}-uppy`,
        `End to end, ${where}: element ÷ Uppy glue`,
        'the Uppy glue (per-file create and confirm) in the same round',
        row.ratios.elementUppy,
        row.targets.uppy,
        row.targets.uppy ? `${short}: ÷ Uppy glue` : undefined,
      ),
      make(
        `${base}-uppy-bare`,
        `End to end, ${where}: Uppy glue ÷ bare`,
        'the bare page in the same round',
        row.ratios.uppyBare,
        undefined,
      ),
    ];
  });
}
