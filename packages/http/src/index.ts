export {
  HttpPool,
  type HttpRequest,
  type HttpResponse,
  headerValue,
  type PoolOptions,
  ResponseTooLargeError,
  type SendOptions,
} from './pool.ts';
export { NO_RETRY, type RetryPolicy } from './retry.ts';
