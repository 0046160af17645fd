/**
 * `mixpeek-emulator [options]` (in this repository `npm run emulator -- [options]`): runs the Mixpeek emulator until Ctrl-C / SIGTERM.
 *
 * Flags (environment variable in brackets):
 *   --port <n>            API port, default 8787 [EMULATOR_PORT]
 *   --storage-port <n>    storage port, default 8788 [EMULATOR_STORAGE_PORT]
 *   --host <addr>         interface, default 127.0.0.1 [EMULATOR_HOST]
 *   --api-key <key>       accepted Bearer token [EMULATOR_API_KEY]
 *   --namespace <ns>      required X-Namespace value [EMULATOR_NAMESPACE]
 *   --bucket <id>         an existing bucket; repeatable [EMULATOR_BUCKETS, comma-separated]
 *   --cors-origin <o>     an origin answered with CORS; repeatable; default any [EMULATOR_CORS_ORIGINS]
 *   --storage-dir <dir>   keep stored objects here (default: a temp dir removed on exit) [EMULATOR_STORAGE_DIR]
 *   --task-step-ms <n>    ms per task state step, default 300 [EMULATOR_TASK_STEP_MS]
 *   --max-file-size <n>   plan size limit in bytes, default 5368709120 [EMULATOR_MAX_FILE_SIZE]
 *   --faults <json>       faults from the start, the body of POST /_emulator/faults [EMULATOR_FAULTS]
 *   --fault-rate-limit <route:times[:retryAfterS]>   repeatable; appended to the rateLimit faults
 *   --fault-put-failures <times:mode>                 mode 500 or cut
 *   --fault-latency-ms <apiMs[:storageMs]>            one number: both
 *   --control-token <t>   require it in X-Emulator-Token on /_emulator/* [EMULATOR_CONTROL_TOKEN]
 *   --quiet               no per-request log lines
 *   --help
 *
 * Every expected failure (a bad flag, a busy port, a missing optional package) is one line on
 * stderr saying what happened and what to do, with exit code 2 (bad usage) or 1 (cannot start).
 */
import { parseArgs } from 'node:util';
import { EMULATOR_DEFAULTS } from './defaults.ts';
import { faultsFromFlags, type FaultFlags } from './fault-flags.ts';
import type { EmulatorOptions } from './index.ts';
import { emulatorInstallCommand } from './missing-package.ts';
import { startFailure, UsageError } from './start-failure.ts';

const USAGE = `Usage: mixpeek-emulator [options]   (in this repository: npm run emulator -- [options])

A local Mixpeek-compatible upload API with S3-compatible storage, on 127.0.0.1.

  --port N                 API port (default 8787, or EMULATOR_PORT; 0 picks a free one)
  --storage-port N         storage port (default 8788, or EMULATOR_STORAGE_PORT)
  --host ADDR              interface (default 127.0.0.1, or EMULATOR_HOST)
  --api-key KEY            the accepted Bearer key (default sk_emulator_local_key, or EMULATOR_API_KEY)
  --namespace NS           the required X-Namespace (default demo, or EMULATOR_NAMESPACE)
  --bucket ID              a bucket that exists; repeat for more (default demo, or EMULATOR_BUCKETS)
  --cors-origin ORIGIN     an origin answered with CORS; repeat for more (default any, or EMULATOR_CORS_ORIGINS)
  --storage-dir DIR        keep stored objects here (default a temporary folder removed on exit)
  --task-step-ms MS        time per task status step (default 300)
  --max-file-size BYTES    the plan's size limit (default 5368709120)
  --control-token TOKEN    require it in X-Emulator-Token on /_emulator/* (or EMULATOR_CONTROL_TOKEN)
  --faults JSON            faults from the start: the body of POST /_emulator/faults (or EMULATOR_FAULTS)
  --fault-rate-limit ROUTE:TIMES[:RETRY_AFTER_S]   429s for a route; repeatable
  --fault-put-failures TIMES:500|cut               failing storage PUTs
  --fault-latency-ms API_MS[:STORAGE_MS]           a delay on every response
  --quiet                  no line per request
  --help                   this text

Faults and control routes: docs/emulator.md in the package's repository.`;

/** A port, a count or a size in bytes: a whole number from 0 to `max`. */
function intOption(name: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > max) {
    throw new UsageError(`--${name} must be a whole number from 0 to ${max}, not '${value}'`);
  }
  return n;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** The command line's flags (`--help` lists them). */
const FLAGS = {
  port: { type: 'string' },
  'storage-port': { type: 'string' },
  host: { type: 'string' },
  'api-key': { type: 'string' },
  namespace: { type: 'string' },
  bucket: { type: 'string', multiple: true },
  'cors-origin': { type: 'string', multiple: true },
  'storage-dir': { type: 'string' },
  'task-step-ms': { type: 'string' },
  'max-file-size': { type: 'string' },
  faults: { type: 'string' },
  'fault-rate-limit': { type: 'string', multiple: true },
  'fault-put-failures': { type: 'string' },
  'fault-latency-ms': { type: 'string' },
  'control-token': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The emulator's options from the flags and the environment; throws {@link UsageError}. */
function readOptions(values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values']): EmulatorOptions {
  const env = process.env;
  const buckets = values.bucket && values.bucket.length > 0 ? values.bucket : list(env.EMULATOR_BUCKETS);
  const origins = values['cors-origin'] && values['cors-origin'].length > 0 ? values['cors-origin'] : list(env.EMULATOR_CORS_ORIGINS);
  const options: EmulatorOptions = {
    host: values.host ?? env.EMULATOR_HOST ?? EMULATOR_DEFAULTS.host,
    port: intOption('port', values.port ?? env.EMULATOR_PORT, 8787, 65535),
    storagePort: intOption('storage-port', values['storage-port'] ?? env.EMULATOR_STORAGE_PORT, 8788, 65535),
    apiKey: values['api-key'] ?? env.EMULATOR_API_KEY ?? EMULATOR_DEFAULTS.apiKey,
    namespace: values.namespace ?? env.EMULATOR_NAMESPACE ?? EMULATOR_DEFAULTS.namespace,
    buckets: buckets.length > 0 ? buckets : [...EMULATOR_DEFAULTS.buckets],
    corsOrigins: origins.length > 0 ? origins : '*',
    taskStepMs: intOption('task-step-ms', values['task-step-ms'] ?? env.EMULATOR_TASK_STEP_MS, EMULATOR_DEFAULTS.taskStepMs),
    maxFileSizeBytes: intOption('max-file-size', values['max-file-size'] ?? env.EMULATOR_MAX_FILE_SIZE, EMULATOR_DEFAULTS.maxFileSizeBytes),
  };
  const flags: FaultFlags = {};
  const faultsJson = values.faults ?? env.EMULATOR_FAULTS;
  if (faultsJson !== undefined) flags.faults = faultsJson;
  if (values['fault-rate-limit']) flags.rateLimit = values['fault-rate-limit'];
  if (values['fault-put-failures'] !== undefined) flags.putFailures = values['fault-put-failures'];
  if (values['fault-latency-ms'] !== undefined) flags.latencyMs = values['fault-latency-ms'];
  try {
    const faults = faultsFromFlags(flags);
    if (faults) options.faults = faults;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const controlToken = values['control-token'] ?? env.EMULATOR_CONTROL_TOKEN;
  if (controlToken) options.controlToken = controlToken;
  const storageDir = values['storage-dir'] ?? env.EMULATOR_STORAGE_DIR;
  if (storageDir) options.storageDir = storageDir;
  if (!values.quiet) options.log = (line) => console.log(`${new Date().toISOString()} ${line}`);
  return options;
}

/** Which flag set each port, to name it when the port is busy. */
const portFlags = new Map<number, string>();

async function main(): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    values = parseArgs({ options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = readOptions(values);
  portFlags.set(options.storagePort!, '--storage-port').set(options.port!, '--port');
  // The AWS SDK warns on Node < 22 about future releases; this process owns its environment.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Loaded only now, so a missing optional package is named instead of failing the import.
  const { startEmulator } = await import('./index.ts');
  const em = await startEmulator(options);
  // Before the banner: whoever reads it may stop the emulator at once.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`mixpeek-emulator: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the emulator…`);
    em.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`mixpeek-emulator: could not close cleanly: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  console.log(
    [
      'Mixpeek emulator running',
      `  API:        ${em.apiUrl}`,
      `  storage:    ${em.storageUrl}`,
      `  API key:    ${em.apiKey}   (Authorization: Bearer ${em.apiKey})`,
      `  namespace:  ${em.namespace}   (X-Namespace: ${em.namespace})`,
      `  buckets:    ${em.buckets.join(', ')}`,
      `  CORS:       ${options.corsOrigins === '*' ? 'any origin' : (options.corsOrigins ?? []).join(', ')}`,
      `  control:    ${em.apiUrl}/_emulator/info, /_emulator/requests, /_emulator/faults, POST /_emulator/reset (loopback pages only${options.controlToken ? ', X-Emulator-Token required' : ''})`,
      ...(options.faults ? [`  faults:     ${JSON.stringify(em.faults())}`] : []),
      `  a page:     <mixpeek-uploader api-url="${em.apiUrl}" api-key="${em.apiKey}" namespace="${em.namespace}" bucket="${em.buckets[0]}">`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  const { message, exitCode } = startFailure(err, { portFlags, dirFlag: '--storage-dir', installCommand: emulatorInstallCommand });
  console.error(`mixpeek-emulator: ${message}`);
  process.exit(exitCode);
});
