// Service specs for the services/ tests: a small service whose functions exist only as config.
import type { FunctionSpec, ServiceSpec } from '../../src/config/types.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export function testService(functions: FunctionSpec[], over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    service: 'svc', stage: 'dev', region: REGION, accountId: ACCOUNT,
    provider: {
      name: 'aws', runtime: 'nodejs22.x', stage: 'dev', region: REGION, memorySize: 1024, timeout: 6, environment: {},
      httpApi: { authorizers: {}, payload: '2.0' }, apiGateway: { binaryMediaTypes: [] }, iamStatements: [],
    },
    functions: Object.fromEntries(functions.map((f) => [f.key, f])),
    resources: [], outputs: {}, custom: {}, dir: '/srv/svc', file: '/srv/svc/serverless.yml', warnings: [],
    ...over,
  };
}

export function testFunction(key: string, over: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    key, name: `svc-dev-${key}`, handler: `handler.${key}`, runtime: 'nodejs22.x',
    memorySize: 1024, timeout: 6, environment: {}, maximumRetryAttempts: 2, maximumEventAge: 21600,
    destinations: {}, events: [], architecture: 'x86_64', codeDir: '/srv/svc', ...over,
  };
}
