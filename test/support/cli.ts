/** Runs a command line the way a person would, for the tests of its failures and its output. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The repository's root folder. */
export const root = new URL('../../', import.meta.url);

/** `node --import tsx <script> ...args` in the repository (or `cwd`), to its end (at most `timeoutMs`). */
export function runCli(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; node?: string[] } = {},
): Promise<CliResult> {
  const child = start(script, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not end; stdout: ${stdout}; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the command line without waiting for it; the caller stops it. */
export function start(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; node?: string[] } = {},
): ChildProcess {
  const node = options.node ?? ['--import', 'tsx'];
  return spawn(process.execPath, [...node, script, ...args], {
    cwd: options.cwd ?? root.pathname,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the first stdout text matching `pattern`; rejects if the process ends first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  let seen = '';
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${seen}; stderr: ${errors}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`ended with ${code} before ${pattern}; stdout: ${seen}; stderr: ${errors}`));
    });
  });
}

/** Stops a started command with SIGTERM and resolves with its exit code. */
export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.on('close', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/**
 * Asserts the failure a person sees: exit `code`, nothing but one line on stderr (no stack
 * trace), starting with `prefix` and matching each of `patterns`.
 */
export function assertOneLineFailure(result: CliResult, code: number, prefix: string, ...patterns: RegExp[]): void {
  const text = result.stderr.trimEnd();
  assert.equal(result.code, code, `exit code ${result.code}; stderr: ${result.stderr}`);
  assert.ok(!text.includes('\n'), `one line on stderr, got:\n${result.stderr}`);
  assert.ok(text.startsWith(prefix), `starts with '${prefix}': ${text}`);
  assert.doesNotMatch(text, /\bat .+:\d+:\d+/, 'no stack trace');
  for (const pattern of patterns) assert.match(text, pattern);
}

/** Holds a port on 127.0.0.1 until `close()`, so a command finds it busy. */
export async function busyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { port: address.port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
