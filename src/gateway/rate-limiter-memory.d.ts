// rate-limiter-flexible 11.4.0 has no exports map and types only its main entry; the in-memory
// limiter is imported on its own so that the gateway bundle holds nothing else of the package.
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import { RateLimiterMemory } from 'rate-limiter-flexible';
  export default RateLimiterMemory;
}
