// The services module's public surface: the AWS endpoint, the providers it dispatches to, and the
// identifier, SigV4 and function-directory helpers the rest of Gannet shares.
import type { AwsServiceProvider, ServiceEnv } from './types.ts';
import { createLambdaProvider } from './lambda/index.ts';

export { createAwsEndpoint, HEALTH_PATH, type AwsEndpointOptions } from './endpoint.ts';
export { createFunctionDirectory } from './functions.ts';
export type { SecretLookup } from './authenticate.ts';
export { parseAuthorization, verifySignature, type SigV4Authorization, type SignatureCheck } from './sigv4.ts';
export { parseArn, formatArn, parseFunctionRef, functionArn, parseQueueUrl, parseQueueRef, queueUrl, queueArn } from './identifiers.ts';
export { createLambdaProvider };
export type * from './types.ts';

export type ProviderFactory = (env: ServiceEnv) => AwsServiceProvider;

/** Every AWS service Gannet provides, by SigV4 service name. Add a service by adding its factory here. */
export const providerFactories = {
  lambda: createLambdaProvider,
} satisfies Record<string, ProviderFactory>;

export type ProvidedService = keyof typeof providerFactories;

/** Builds the providers for `names` (default: all of them) over one shared environment. */
export function createProviders(env: ServiceEnv, names: readonly ProvidedService[] = Object.keys(providerFactories) as ProvidedService[]): AwsServiceProvider[] {
  return names.map((name) => providerFactories[name](env));
}
