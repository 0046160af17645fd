/**
 * Names the npm package a failed import lacked, so a command line can say what to install
 * instead of printing Node's stack trace.
 */

/** The emulator's optional peer dependencies (package.json `peerDependenciesMeta`). */
export const EMULATOR_PEERS = ['s3rver', '@smithy/signature-v4', '@smithy/hash-node', 'hono', '@hono/node-server'] as const;

/**
 * The package that `error` says cannot be found, or `undefined` when `error` is something else.
 * Understands ESM (`ERR_MODULE_NOT_FOUND`, "Cannot find package 'x' imported from …") and
 * `require` (`MODULE_NOT_FOUND`, "Cannot find module 'x'"); a missing relative file is not a
 * package and gives `undefined`.
 */
export function missingPackage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if ((code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') || typeof message !== 'string') return undefined;
  const name = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  if (!name || name.startsWith('.') || name.startsWith('/') || name.startsWith('file:')) return undefined;
  // A subpath ('hono/cors') belongs to its package ('hono'); scoped names keep their scope.
  const parts = name.split('/');
  return name.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The command that installs the emulator's optional peers, plus `missing` when it is not one of them. */
export function emulatorInstallCommand(missing?: string): string {
  const names: string[] = [...EMULATOR_PEERS];
  if (missing && !names.includes(missing)) names.unshift(missing);
  return `npm install --save-dev ${names.join(' ')}`;
}
