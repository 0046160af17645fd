/** The emulator's defaults, apart from its server code so the CLI can show them before loading it. */

/** Defaults of `EmulatorOptions` (index.ts). */
export const EMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  apiKey: 'sk_emulator_local_key',
  namespace: 'demo',
  buckets: ['demo'],
  /** 5 GiB in bytes. */
  maxFileSizeBytes: 5 * 1024 ** 3,
  /** 100 MiB in bytes. */
  asyncConfirmThresholdBytes: 100 * 1024 ** 2,
  /** ms */
  taskStepMs: 300,
  /** ms */
  syncConfirmMs: 0,
} as const;
