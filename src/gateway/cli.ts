/**
 * `mixpeek-gateway`: serves the upload gateway on a port, so a page's `<mixpeek-uploader>` can
 * upload to a Mixpeek account without holding its key.
 *
 *   MIXPEEK_API_KEY=sk_… MIXPEEK_NAMESPACE=ns_… MIXPEEK_BUCKETS=bkt_a,bkt_b \
 *     npx mixpeek-gateway --port 8080 --allowed-origin http://localhost:5173
 *
 * Flags override environment variables. The key is read from `MIXPEEK_API_KEY` (or
 * `--api-key`, which leaves it in your shell history) and is never printed. Every expected
 * failure is one line on stderr saying what happened and what to do, with exit code 1 (2 for
 * a bad command line).
 */
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { createGateway, DEFAULT_API_URL } from './index.ts';

const NAME = 'mixpeek-gateway';
const help = `Usage: ${NAME} [options]

  --port N                  port to listen on (default 8080, or PORT)
  --host H                  interface (default 127.0.0.1)
  --api-key KEY             Mixpeek secret key (default MIXPEEK_API_KEY)
  --api-url URL             Mixpeek API (default MIXPEEK_API_URL or ${DEFAULT_API_URL})
  --namespace NS            X-Namespace to send (default MIXPEEK_NAMESPACE)
  --bucket ID               allowed bucket; repeat for more (default MIXPEEK_BUCKETS, comma-separated)
  --base-path P             path prefix, e.g. /mixpeek (default none)
  --allowed-origin O        origin allowed cross-origin; repeat for more (default MIXPEEK_ALLOWED_ORIGINS)
  --allowed-header H        a header your page adds (getHeaders) that cross-origin requests may send;
                            repeat for more (default MIXPEEK_ALLOWED_HEADERS)
  --allowed-host H          Host name the gateway answers for; repeat for more (default: the names
                            of the address it binds, e.g. localhost and 127.0.0.1)
  --allowed-content-type T  e.g. image/* ; repeat for more (default any)
  --max-file-size BYTES     largest file a create may declare and a confirm may state
  --rate-limit N            requests per minute per client (default 120; 0 turns it off)
  --trust-proxy N           number of proxies in front whose X-Forwarded-For is trusted (default 0)
  --upstream-timeout-ms MS  how long to wait for Mixpeek (default 30000)
  --quiet                   no request log
  --help                    this text
`;

/** Exits after one line on stderr. */
function fail(message: string, code = 1): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(code);
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A whole number in [min, max] from a flag, or a one-line failure naming the flag. */
function whole(flag: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    fail(`--${flag} must be a whole number from ${min} to ${max}, not "${value}". Run ${NAME} --help for the options.`, 2);
  }
  return n;
}

const flags = {
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  'api-key': { type: 'string' },
  'api-url': { type: 'string' },
  namespace: { type: 'string' },
  bucket: { type: 'string', multiple: true },
  'base-path': { type: 'string', default: '' },
  'allowed-origin': { type: 'string', multiple: true },
  'allowed-header': { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-content-type': { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  'rate-limit': { type: 'string' },
  'trust-proxy': { type: 'string' },
  'upstream-timeout-ms': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The Host names a server bound to `host` is reached by. */
function hostNames(host: string): string[] {
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return [...new Set([...loopback, host])];
  if (host === '0.0.0.0' || host === '::' || host === '') {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .flatMap((a) => (a ? [a.family === 'IPv6' ? `[${a.address}]` : a.address] : []));
    return [...new Set([...loopback, ...addresses])];
  }
  return [host.includes(':') ? `[${host}]` : host];
}

/** Resolves when `apiUrl` answers anything within 10 s; a one-line failure otherwise. */
async function checkReachable(apiUrl: string): Promise<void> {
  try {
    const res = await fetch(apiUrl, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    fail(`cannot reach ${apiUrl} (${cause}): check --api-url (or MIXPEEK_API_URL) and this machine's network.`);
  }
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ options: typeof flags; strict: true; allowPositionals: false }>>['values'];
  try {
    values = parseArgs({ options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    fail(`${(error as Error).message.split('\n')[0]} Run ${NAME} --help for the options.`, 2);
  }
  if (values.help) {
    process.stdout.write(help);
    return;
  }

  const apiKey = values['api-key'] ?? process.env.MIXPEEK_API_KEY;
  if (!apiKey) fail('no Mixpeek key: set MIXPEEK_API_KEY to your secret key (sk_…), or pass --api-key.', 2);
  const buckets = values.bucket ?? list(process.env.MIXPEEK_BUCKETS);
  if (buckets.length === 0) fail('no bucket allowed: set MIXPEEK_BUCKETS (comma-separated bucket ids), or pass --bucket.', 2);
  const apiUrl = values['api-url'] ?? process.env.MIXPEEK_API_URL ?? DEFAULT_API_URL;
  if (!URL.canParse(apiUrl) || !/^https?:$/.test(new URL(apiUrl).protocol)) {
    fail(`--api-url must be an http(s) URL, not "${apiUrl}".`, 2);
  }
  const port = whole('port', values.port ?? process.env.PORT, 8080, 0, 65535);
  const rateLimit = whole('rate-limit', values['rate-limit'], 120);
  const maxFileSize = values['max-file-size'] === undefined ? undefined : whole('max-file-size', values['max-file-size'], 0, 1);
  const trustProxy = whole('trust-proxy', values['trust-proxy'], 0, 0, 10);
  const upstreamTimeoutMs = whole('upstream-timeout-ms', values['upstream-timeout-ms'], 30_000, 1);

  let node: typeof import('./node.ts');
  try {
    node = await import('./node.ts');
  } catch (error) {
    if ((error as { code?: string }).code === 'MIXPEEK_MISSING_PACKAGE') fail((error as Error).message);
    throw error;
  }
  await checkReachable(apiUrl);

  const allowedHosts = values['allowed-host'] ?? hostNames(values.host);
  const handler = createGateway({
    apiKey,
    apiUrl,
    namespace: values.namespace ?? process.env.MIXPEEK_NAMESPACE,
    buckets,
    basePath: values['base-path'],
    allowedOrigins: values['allowed-origin'] ?? list(process.env.MIXPEEK_ALLOWED_ORIGINS),
    allowedHeaders: values['allowed-header'] ?? list(process.env.MIXPEEK_ALLOWED_HEADERS),
    allowedHosts,
    allowedContentTypes: values['allowed-content-type'],
    maxFileSize,
    rateLimit: rateLimit > 0 ? { requestsPerMinute: rateLimit } : false,
    trustProxy,
    upstreamTimeoutMs,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  let served: Awaited<ReturnType<typeof node.serveGateway>>;
  try {
    served = await node.serveGateway(handler, { host: values.host, port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = `${values.host}:${port}`;
    if (code === 'EADDRINUSE')
      fail(`port ${port} is already in use on ${values.host}: stop the other server, or pick another port with --port.`);
    if (code === 'EACCES') fail(`not allowed to listen on ${where}: pick a port above 1023 with --port.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail(`${values.host} is not an address of this machine: check --host.`);
    throw error;
  }
  console.log(
    `${NAME} on ${served.url}${values['base-path']} → ${apiUrl}, buckets: ${buckets.join(', ')}, hosts: ${allowedHosts.join(', ')}`,
  );
  const stop = () => void served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => fail(`stopped by an unexpected error: ${(error as Error).message ?? String(error)}`));
