/**
 * `npm run emulator [-- options]`: runs the Mixpeek emulator until Ctrl-C / SIGTERM.
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
 */
import { parseArgs } from 'node:util';
import { faultsFromFlags, type FaultFlags } from './fault-flags.ts';
import { EMULATOR_DEFAULTS, startEmulator, type EmulatorOptions } from './index.ts';

const USAGE = `Usage: mixpeek-emulator (in this repository: npm run emulator --) [--port 8787] [--storage-port 8788] [--host 127.0.0.1]
  [--api-key KEY] [--namespace NS] [--bucket ID]... [--cors-origin ORIGIN]...
  [--storage-dir DIR] [--task-step-ms MS] [--max-file-size BYTES] [--control-token TOKEN] [--quiet]
  [--faults JSON] [--fault-rate-limit ROUTE:TIMES[:RETRY_AFTER_S]]...
  [--fault-put-failures TIMES:500|cut] [--fault-latency-ms API_MS[:STORAGE_MS]]
Faults: see README "The emulator"; change them at runtime with POST /_emulator/faults.`;

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`emulator: --${name} must be a non-negative integer, got '${value}'`);
    process.exit(2);
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

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ options: FLAGS, strict: true, allowPositionals: false });
  } catch (err) {
    console.error(`emulator: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = process.env;
  // The AWS SDK warns on Node < 22 about future releases; this process owns its environment.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const buckets = values.bucket && values.bucket.length > 0 ? values.bucket : list(env.EMULATOR_BUCKETS);
  const origins = values['cors-origin'] && values['cors-origin'].length > 0 ? values['cors-origin'] : list(env.EMULATOR_CORS_ORIGINS);
  const options: EmulatorOptions = {
    host: values.host ?? env.EMULATOR_HOST ?? EMULATOR_DEFAULTS.host,
    port: intOption('port', values.port ?? env.EMULATOR_PORT, 8787),
    storagePort: intOption('storage-port', values['storage-port'] ?? env.EMULATOR_STORAGE_PORT, 8788),
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
    console.error(`emulator: ${(err as Error).message}`);
    process.exit(2);
  }
  const controlToken = values['control-token'] ?? env.EMULATOR_CONTROL_TOKEN;
  if (controlToken) options.controlToken = controlToken;
  const storageDir = values['storage-dir'] ?? env.EMULATOR_STORAGE_DIR;
  if (storageDir) options.storageDir = storageDir;
  if (!values.quiet) options.log = (line) => console.log(`${new Date().toISOString()} ${line}`);

  const em = await startEmulator(options);
  console.log(
    [
      'Mixpeek emulator running',
      `  API:        ${em.apiUrl}`,
      `  storage:    ${em.storageUrl}`,
      `  API key:    ${em.apiKey}   (Authorization: Bearer ${em.apiKey})`,
      `  namespace:  ${em.namespace}   (X-Namespace: ${em.namespace})`,
      `  buckets:    ${em.buckets.join(', ')}`,
      `  CORS:       ${options.corsOrigins === '*' ? 'any origin' : (options.corsOrigins ?? []).join(', ')}`,
      `  control:    ${em.apiUrl}/_emulator/info, /_emulator/requests, /_emulator/faults, POST /_emulator/reset (loopback pages only${controlToken ? ', X-Emulator-Token required' : ''})`,
      ...(options.faults ? [`  faults:     ${JSON.stringify(em.faults())}`] : []),
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`emulator: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the emulator…`);
    em.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('emulator: error while closing:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    console.error(`emulator: port in use (${(err as Error).message}); pass --port / --storage-port`);
  } else {
    console.error('emulator: failed to start:', err);
  }
  process.exit(1);
});
