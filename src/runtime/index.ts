// The runtime module: instances that run Lambda handlers exactly as Lambda does. Gannet's Node
// bootstrap over a private channel; custom runtimes and Python over the real Runtime API;
// TypeScript handlers bundled with esbuild. The pool is the only caller.
export { startRuntimeApi, RuntimeApiSession, MAX_RESPONSE_BYTES } from './api-server.ts';
export type { RuntimeApi, ApiAnswer, ApiInitResult } from './api-server.ts';
export { NodeInstance, heapLimitMb } from './node-instance.ts';
export type { NodeInitConfig, NodeSpawnOptions } from './node-instance.ts';
export { ApiInstance, PYTHON_BOOTSTRAP } from './api-instance.ts';
export type { ApiInstanceOptions } from './api-instance.ts';
export { bundleTypeScript, TypeScriptBuilds, findTypeScriptHandler, splitHandler, formatFor } from './typescript.ts';
export type { Bundle, BundleFormat } from './typescript.ts';
export { lambdaEnvironment, baseEnvironment, logStreamName, RESERVED_VARIABLES, RUNTIME_DIR } from './environment.ts';
export { describeExit } from './instance-process.ts';
export type { RuntimeInstance, InitResult, InvokeAnswer, ExitInfo } from './types.ts';

/** Which kind of instance runs a runtime identifier. */
export function runtimeFamily(runtime: string): 'node' | 'python' | 'custom' | undefined {
  if (runtime.startsWith('nodejs')) return 'node';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('provided')) return 'custom';
  return undefined;
}
export { pythonRequirementsDir } from './python/requirements.ts';
