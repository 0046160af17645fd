/**
 * Turns what can go wrong when a command line starts a server (a bad flag, a busy port, an
 * address that is not this machine's, a missing optional package) into one line saying what
 * happened and what to do, and an exit code: 2 for bad usage, 1 for the rest.
 */
import { missingPackage } from './missing-package.ts';

/** Bad command-line input: shown as is, with a pointer to `--help`, and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command knows about its flags, to name the one to change. */
export interface StartFailureContext {
  /** The flag that set each port, e.g. `{ 8787: '--port' }`. */
  portFlags?: ReadonlyMap<number, string>;
  /** The flag that sets the folder the command writes to, if any. */
  dirFlag?: string;
  /** The command to run when `name` is not installed. */
  installCommand: (name: string) => string;
}

/** One line (no stack trace) and the exit code for `error`. */
export function startFailure(error: unknown, context: StartFailureContext): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: `${firstLine(error.message)} (see --help)`, exitCode: 2 };
  const missing = missingPackage(error);
  if (missing) return { message: `the package ${missing} is not installed: run ${context.installCommand(missing)}`, exitCode: 1 };
  const err = error as NodeJS.ErrnoException & { port?: number; address?: string; hostname?: string };
  const flag = err.port === undefined ? undefined : context.portFlags?.get(err.port);
  const change = flag ? `pass ${flag} with another port` : 'choose another port';
  if (err.code === 'EADDRINUSE') {
    return {
      message: `port ${err.port} on ${err.address} is already in use: stop what uses it, or ${change} (0 picks a free one)`,
      exitCode: 1,
    };
  }
  if (err.code === 'EACCES' && err.syscall === 'listen') {
    return { message: `no permission to listen on port ${err.port}: ${change}, 1024 or higher`, exitCode: 1 };
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    const host = err.address ?? err.hostname ?? '';
    return {
      message: `cannot listen on ${host}: it is not an address of this machine; pass --host 127.0.0.1 (or another of its addresses)`,
      exitCode: 1,
    };
  }
  if (
    err.path &&
    (err.code === 'EACCES' || err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EROFS' || err.code === 'EPERM')
  ) {
    return {
      message: `cannot write to ${err.path} (${err.code}): ${context.dirFlag ? `pass ${context.dirFlag} with` : 'choose'} a folder you can write to`,
      exitCode: 1,
    };
  }
  return { message: `could not start: ${firstLine(err?.message ?? String(error))}`, exitCode: 1 };
}

const firstLine = (text: string): string => text.split('\n')[0]!.trim();
