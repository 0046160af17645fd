/**
 * Loading a package the gateway's Node side needs but the package does not install for
 * everyone (an optional peer dependency), with a one-line error naming the command that
 * installs it.
 */

/** Thrown when an optional package is missing; `message` is one line saying what to run. */
export class MissingPackageError extends Error {
  readonly code = 'MIXPEEK_MISSING_PACKAGE';
  constructor(
    readonly packageName: string,
    usedFor: string,
  ) {
    super(`${usedFor} needs the package ${packageName}: run \`npm install ${packageName}\` and start again.`);
    this.name = 'MissingPackageError';
  }
}

/** True for Node's "package not found" errors about `name`. */
export function isMissing(error: unknown, name: string): boolean {
  const e = error as { code?: string; message?: string } | null;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && String(e.message).includes(name);
}
