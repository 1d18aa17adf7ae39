// The responses API Gateway itself generates (not the function), with the exact status, body and
// x-amzn-ErrorType AWS sends. Bodies keep AWS's spacing: clients sometimes compare them as strings.

export type GatewayError = { status: number; body: string; errorType?: string };

/** REST API (v1) gateway responses. */
export const REST_ERRORS = {
  missingAuthenticationToken: { status: 403, body: '{"message":"Missing Authentication Token"}', errorType: 'MissingAuthenticationTokenException' },
  internalServerError: { status: 502, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
  // A Lambda throttle is not passed through by REST APIs: the client sees a 500 (AWS re:Post, 2024).
  integrationThrottled: { status: 500, body: '{"message": "Internal server error"}', errorType: 'InternalServerErrorException' },
  integrationTimeout: { status: 504, body: '{"message": "Endpoint request timed out"}', errorType: 'InternalServerErrorException' },
  unauthorized: { status: 401, body: '{"message":"Unauthorized"}', errorType: 'UnauthorizedException' },
  explicitDeny: { status: 403, body: '{"message":"User is not authorized to access this resource with an explicit deny"}', errorType: 'AccessDeniedException' },
  implicitDeny: { status: 403, body: '{"message":"User is not authorized to access this resource"}', errorType: 'AccessDeniedException' },
  authorizerConfiguration: { status: 500, body: '{"message": null}', errorType: 'AuthorizerConfigurationException' },
  requestTooLarge: { status: 413, body: '{"message":"Request Too Long"}', errorType: 'RequestTooLargeException' },
} satisfies Record<string, GatewayError>;

/** REST request validator failure: `Missing required request parameters: [a, b]` (names sorted, as AWS lists them). */
export function missingParameters(names: string[]): GatewayError {
  return {
    status: 400,
    body: JSON.stringify({ message: `Missing required request parameters: [${names.join(', ')}]` }),
    errorType: 'BadRequestException',
  };
}

/** HTTP API (v2) gateway responses. HTTP APIs send no x-amzn-ErrorType. */
export const HTTP_API_ERRORS = {
  notFound: { status: 404, body: '{"message":"Not Found"}' },
  internalServerError: { status: 500, body: '{"message":"Internal Server Error"}' },
  serviceUnavailable: { status: 503, body: '{"message":"Service Unavailable"}' },
  unauthorized: { status: 401, body: '{"message":"Unauthorized"}' },
  forbidden: { status: 403, body: '{"message":"Forbidden"}' },
  tooManyRequests: { status: 429, body: '{"message":"Too Many Requests"}' },
  requestTooLarge: { status: 413, body: '{"message":"Request Entity Too Large"}' },
} satisfies Record<string, GatewayError>;
