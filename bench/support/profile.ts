/**
 * `--profile`: V8 CPU profiles of a run, of a page's main thread (over CDP) and of this process
 * (the emulator, the link proxies and the driver, over node:inspector), written as
 * `.cpuprofile` files that Chrome DevTools opens.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { dirname } from 'node:path';
import type { Page } from 'puppeteer-core';

/** Sends one DevTools protocol command; resolves with its result. */
type Post = (method: string, params?: object) => Promise<unknown>;

/** Runs `run` with the profiler that `post` reaches (sampling every 200 µs) and writes its profile to `path`. */
async function withProfiler<T>(post: Post, path: string, run: () => Promise<T>): Promise<T> {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(profile));
  }
}

/** Runs `run` with `page`'s main thread profiled into `path`. */
export async function pageProfiled<T>(page: Page, path: string, run: () => Promise<T>): Promise<T> {
  const cdp = await page.createCDPSession();
  try {
    return await withProfiler((method, params) => cdp.send(method as 'Profiler.enable', params as never), path, run);
  } finally {
    await cdp.detach();
  }
}

/** Runs `run` with this process profiled into `path`. */
export async function processProfiled<T>(path: string, run: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  const post: Post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  try {
    return await withProfiler(post, path, run);
  } finally {
    session.disconnect();
  }
}
