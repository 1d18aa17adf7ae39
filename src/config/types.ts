// The one parsed, validated form of a service. Everything after config/ reads only this.

export type Runtime = string; // 'nodejs20.x' | 'python3.12' | 'provided.al2023' | ...

export type HttpEvent = {
  type: 'http';
  method: string;          // upper-case, 'ANY' for any
  path: string;            // leading slash, e.g. '/users/{id}'
  cors?: CorsSpec;
  authorizer?: RestAuthorizerSpec;
  integration: 'lambda-proxy' | 'lambda';
  private: boolean;
  async: boolean;
  requiredParameters: { paths: string[]; querystrings: string[]; headers: string[] };
};

export type HttpApiEvent = {
  type: 'httpApi';
  method: string;          // upper-case, 'ANY' for any; '*' route => method 'ANY', path '$default'
  path: string;            // '/orders/{id}' or '$default'
  authorizer?: HttpApiAuthorizerRef;
  /** Payload format of the integration: function `httpApi.payload` → provider → '2.0'. */
  payload?: '1.0' | '2.0';
};

export type ScheduleEvent = {
  type: 'schedule';
  expressions: string[];   // 'rate(5 minutes)' | 'cron(0 12 * * ? *)'
  enabled: boolean;
  name?: string;
  input?: unknown;         // replaces the event
  inputPath?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
  /** IANA zone for cron expressions (EventBridge Scheduler's `timezone`); UTC when absent. */
  timezone?: string;
};

export type SqsEvent = {
  type: 'sqs';
  arn: unknown;            // string ARN, or an unresolved intrinsic ({Fn::GetAtt: [...]})
  batchSize: number;
  maximumBatchingWindow: number;
  enabled: boolean;
  functionResponseType?: 'ReportBatchItemFailures';
  maximumConcurrency?: number;
  filterPatterns?: unknown[];
};

export type SnsEvent = {
  type: 'sns';
  arn?: unknown;           // ARN string or intrinsic
  topicName?: string;
  filterPolicy?: unknown;
  filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
};

export type S3Event = {
  type: 's3';
  bucket: unknown;         // name or intrinsic
  event: string;           // 's3:ObjectCreated:*'
  rules: { prefix?: string; suffix?: string }[];
  existing: boolean;
};

export type EventSpec = HttpEvent | HttpApiEvent | ScheduleEvent | SqsEvent | SnsEvent | S3Event
  | { type: 'other'; name: string; raw: unknown };

export type CorsSpec = {
  origins: string[];
  headers: string[];
  methods?: string[];
  allowCredentials: boolean;
  exposedResponseHeaders?: string[];
  maxAge?: number;
  cacheControl?: string;
};

export type RestAuthorizerSpec = {
  name: string;             // function name within the service (or ARN)
  type: 'token' | 'request';
  identitySource: string;  // 'method.request.header.Authorization'
  identityValidationExpression?: string;
  resultTtlInSeconds: number; // default 300
};

export type HttpApiAuthorizerRef = { name: string; scopes?: string[] };

export type HttpApiAuthorizerSpec =
  | { type: 'jwt'; name: string; identitySource: string; issuerUrl: string; audience: string[] }
  | { type: 'request'; name: string; functionName: string; identitySource: string[];
      enableSimpleResponses: boolean; payloadVersion: '1.0' | '2.0'; resultTtlInSeconds: number };

export type Destination = { type: 'function' | 'sqs' | 'sns' | 'eventBridge'; arn: string };

export type FunctionSpec = {
  key: string;              // the key under `functions:`
  name: string;             // deployed name: `${service}-${stage}-${key}` unless `name:` set
  handler: string;          // 'src/users.create' (or empty for provided runtimes)
  runtime: Runtime;
  memorySize: number;
  timeout: number;          // seconds
  environment: Record<string, string>; // provider env merged under function env, values stringified
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
  maximumRetryAttempts: number;   // 0..2, default 2
  maximumEventAge: number;        // 60..21600 s, default 21600
  destinations: { onSuccess?: Destination; onFailure?: Destination };
  onError?: string;               // DLQ ARN
  events: EventSpec[];
  architecture: 'x86_64' | 'arm64';
  /** Folder the handler path is relative to (service dir, or a `package`/`module` subfolder). */
  codeDir: string;
};

export type ResourceSpec = {
  logicalId: string;
  type: string;             // 'AWS::SQS::Queue'
  properties: Record<string, unknown>;
};

export type ProviderSpec = {
  name: string;
  runtime: Runtime;
  stage: string;
  region: string;
  memorySize: number;
  timeout: number;
  environment: Record<string, unknown>;
  httpApi: { cors?: CorsSpec; authorizers: Record<string, HttpApiAuthorizerSpec>; payload: '1.0' | '2.0' };
  apiGateway: { binaryMediaTypes: string[] };
  iamStatements: unknown[];
};

export type ServiceSpec = {
  service: string;
  stage: string;
  region: string;
  accountId: string;        // '000000000000' unless configured
  provider: ProviderSpec;
  functions: Record<string, FunctionSpec>;
  resources: ResourceSpec[];
  outputs: Record<string, unknown>;
  /** `resources.Conditions` and `resources.Mappings`, for Fn::If / Fn::FindInMap. */
  conditions?: Record<string, unknown>;
  mappings?: Record<string, unknown>;
  custom: Record<string, unknown>;
  /** Where the service's AWS endpoint is reachable, when it runs with one (`gannet dev`): queue URLs
   *  (`Ref` of a queue) point there, since SDKs send SQS calls to the host inside the queue URL. */
  awsEndpointUrl?: string;
  /** Absolute folder of the service. */
  dir: string;
  /** Absolute path of the file the service was read from. */
  file: string;
  warnings: ConfigWarning[];
};

export type ConfigWarning = { message: string; file: string; line?: number; column?: number; path?: string };
