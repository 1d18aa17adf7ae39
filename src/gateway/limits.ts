// API Gateway's limits as named constants, shared by the request reader, the integration and the tests.

/** REST and HTTP APIs both refuse request payloads over 10 MB (413). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/** Default integration timeout: REST 29 s (504), HTTP API 30 s max (503); both default to 29 s here. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

/** REST authorizer result cache default (`resultTtlInSeconds`), and the 0..3600 range AWS accepts. */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;
export const MAX_AUTHORIZER_TTL_SECONDS = 3600;

/** Entries an authorizer cache keeps before it evicts the oldest (protects memory from token floods). */
export const AUTHORIZER_CACHE_MAX_ENTRIES = 10_000;

/** How long a fetched JWKS stays fresh before jose refetches it (API Gateway caches keys too). */
export const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
