export {
  HttpPool,
  type HttpRequest,
  type HttpResponse,
  headerValue,
  type PoolOptions,
  ResponseTooLargeError,
  type SendOptions,
} from './pool.ts';
export {
  DEFAULT_RETRY_POLICY,
  isRetryableNetworkError,
  isRetryableStatus,
  NO_RETRY,
  parseRetryAfter,
  type RetryPolicy,
  retryDelayMs,
} from './retry.ts';
