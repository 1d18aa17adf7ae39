// The Lambda API (restJson1) on Gannet's AWS endpoint.
export { createLambdaProvider, lambdaOperations, type LambdaOperations } from './provider.ts';
export { MAX_SYNC_PAYLOAD_BYTES, MAX_ASYNC_PAYLOAD_BYTES, LAMBDA_PATH } from './routes.ts';
export { functionConfiguration, lambdaTimestamp } from './configuration.ts';
