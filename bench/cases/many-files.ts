/**
 * The 100,000-file case: `addFiles` of that many in-memory files on an idle page, through the
 * element's public API; the first row on screen, the longest main-thread task until every file
 * is listed and the page has gone a second without a long task, and the peak JS heap of the
 * page and its workers meanwhile (CDP `Runtime.getHeapUsage`, every 100 ms).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CDPSession, Page } from 'puppeteer-core';
import type { BenchEnv, ManyFilesResult } from '../pages/api.ts';

const MiB = 1024 * 1024;

export interface ManyFilesMeasure extends ManyFilesResult {
  /** Peak used JS heap of the page and its workers while the files were added and listed, MiB. */
  peakHeapMiB: number;
  /** The same after a garbage collection just before `addFiles` (the element on the page, the list's Files made), MiB. */
  heapBeforeMiB: number;
}

export async function measureManyFiles(page: Page, env: BenchEnv, count: number): Promise<ManyFilesMeasure> {
  await page.evaluate((e, n) => window.bench.prepareManyFiles(e, n), env, count);
  const pageSession = await page.createCDPSession();
  const sessions = (): CDPSession[] => [pageSession, ...page.workers().map((w) => w.client)];
  await Promise.all(sessions().map((s) => s.send('HeapProfiler.collectGarbage').catch(() => undefined)));
  const usage = async () => {
    const all = await Promise.all(sessions().map((s) => s.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 }))));
    return all.reduce((n, u) => n + u.usedSize, 0);
  };
  const before = await usage();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await usage());
      await sleep(100);
    }
  })();
  const result = await page.evaluate(() => window.bench.addManyFiles());
  sampling = false;
  await sampler;
  return { ...result, peakHeapMiB: peak / MiB, heapBeforeMiB: before / MiB };
}
