/**
 * One gateway process for the shared-budget test: a rate limit in Redis (rate-limiter-flexible's
 * RateLimiterRedis over ioredis), in front of the emulator the test runs. Prints its URL on
 * stdout, then serves until killed.
 *
 * Env: REDIS_PORT, API_URL, API_KEY, NAMESPACE, POINTS (requests per minute).
 */
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createGateway } from '../../../src/gateway/index.ts';
import { serveGateway } from '../../../src/gateway/node.ts';

const env = process.env;
const redis = new Redis({ host: '127.0.0.1', port: Number(env.REDIS_PORT), maxRetriesPerRequest: 1 });
const limiter = new RateLimiterRedis({ storeClient: redis, points: Number(env.POINTS), duration: 60, keyPrefix: 'mixpeek-gateway' });
const served = await serveGateway(
  createGateway({
    apiKey: env.API_KEY!,
    apiUrl: env.API_URL!,
    namespace: env.NAMESPACE!,
    buckets: ['demo'],
    authorize: () => ({ user: 'u_42' }),
    rateLimit: { limiter },
  }),
);
process.stdout.write(`${served.url}\n`);
process.on('SIGTERM', () => {
  redis.disconnect();
  void served.close().then(() => process.exit(0));
});
