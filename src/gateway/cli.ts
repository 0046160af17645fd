/**
 * `mixpeek-gateway`: serves the upload gateway on a port, so a page's `<mixpeek-uploader>` can
 * upload to a Mixpeek account without holding its key.
 *
 *   MIXPEEK_API_KEY=sk_… MIXPEEK_NAMESPACE=ns_… MIXPEEK_BUCKETS=bkt_a,bkt_b \
 *     npx mixpeek-gateway --port 8080 --allowed-origin http://localhost:5173
 *
 * Flags override environment variables. The key is read from `MIXPEEK_API_KEY` (or
 * `--api-key`, which leaves it in your shell history) and is never printed.
 */
import { parseArgs } from 'node:util';
import { createGateway, DEFAULT_API_URL } from './index.ts';
import { serveGateway } from './node.ts';

const help = `Usage: mixpeek-gateway [options]

  --port N                  port to listen on (default 8080, or PORT)
  --host H                  interface (default 127.0.0.1)
  --api-key KEY             Mixpeek secret key (default MIXPEEK_API_KEY)
  --api-url URL             Mixpeek API (default MIXPEEK_API_URL or https://api.mixpeek.com)
  --namespace NS            X-Namespace to send (default MIXPEEK_NAMESPACE)
  --bucket ID               allowed bucket; repeat for more (default MIXPEEK_BUCKETS, comma-separated)
  --base-path P             path prefix, e.g. /mixpeek (default none)
  --allowed-origin O        origin allowed cross-origin; repeat for more (default MIXPEEK_ALLOWED_ORIGINS)
  --allowed-header H        a header your page adds (getHeaders) that cross-origin requests may send;
                            repeat for more (default MIXPEEK_ALLOWED_HEADERS)
  --allowed-content-type T  e.g. image/* ; repeat for more (default any)
  --max-file-size BYTES     largest file_size_bytes a create may declare
  --rate-limit N            requests per minute per client (default 120; 0 turns it off)
  --quiet                   no request log
  --help
`;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function parse() {
  try {
    return parseArgs({ options });
  } catch (error) {
    process.stderr.write(`mixpeek-gateway: ${(error as Error).message}\n\n${help}`);
    process.exit(2);
  }
}

const options = {
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  'api-key': { type: 'string' },
  'api-url': { type: 'string' },
  namespace: { type: 'string' },
  bucket: { type: 'string', multiple: true },
  'base-path': { type: 'string', default: '' },
  'allowed-origin': { type: 'string', multiple: true },
  'allowed-header': { type: 'string', multiple: true },
  'allowed-content-type': { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  'rate-limit': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;
const { values } = parse();

if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}

const apiKey = values['api-key'] ?? process.env.MIXPEEK_API_KEY;
const buckets = values.bucket ?? list(process.env.MIXPEEK_BUCKETS);
if (!apiKey || buckets.length === 0) {
  process.stderr.write(`mixpeek-gateway: set MIXPEEK_API_KEY and at least one bucket (MIXPEEK_BUCKETS or --bucket).\n\n${help}`);
  process.exit(2);
}
const rateLimit = Number(values['rate-limit'] ?? 120);
const maxFileSize = values['max-file-size'] === undefined ? undefined : Number(values['max-file-size']);

const apiUrl = values['api-url'] ?? process.env.MIXPEEK_API_URL ?? DEFAULT_API_URL;
const handler = createGateway({
  apiKey,
  apiUrl,
  namespace: values.namespace ?? process.env.MIXPEEK_NAMESPACE,
  buckets,
  basePath: values['base-path'],
  allowedOrigins: values['allowed-origin'] ?? list(process.env.MIXPEEK_ALLOWED_ORIGINS),
  allowedHeaders: values['allowed-header'] ?? list(process.env.MIXPEEK_ALLOWED_HEADERS),
  allowedContentTypes: values['allowed-content-type'],
  maxFileSize,
  rateLimit: rateLimit > 0 ? { requestsPerMinute: rateLimit } : false,
  log: values.quiet ? undefined : (line) => console.log(line),
});
const served = await serveGateway(handler, { host: values.host, port: Number(values.port ?? process.env.PORT ?? 8080) });
console.log(`mixpeek-gateway on ${served.url}${values['base-path']} → ${apiUrl}, buckets: ${buckets.join(', ')}`);

const stop = () => void served.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
