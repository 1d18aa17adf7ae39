// Every Lambda API operation's HTTP route (from the Lambda service model), so that any call can be
// named, even the ones Gannet answers with "not implemented". Bindings exist for the implemented ones.
import type { RestOperation } from '../protocol/rest-json.ts';

type Row = [method: string, path: string, name: string, status: number];

// [method, path template, operation, success status]
const ROUTES: Row[] = [
  ['POST', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'AddLayerVersionPermission', 201],
  ['POST', '/2015-03-31/functions/{FunctionName}/policy', 'AddPermission', 201],
  ['POST', '/2025-12-01/durable-executions/{DurableExecutionArn}/checkpoint', 'CheckpointDurableExecution', 200],
  ['POST', '/2015-03-31/functions/{FunctionName}/aliases', 'CreateAlias', 201],
  ['POST', '/2025-11-30/capacity-providers', 'CreateCapacityProvider', 202],
  ['POST', '/2020-04-22/code-signing-configs', 'CreateCodeSigningConfig', 201],
  ['POST', '/2015-03-31/event-source-mappings', 'CreateEventSourceMapping', 202],
  ['POST', '/2015-03-31/functions', 'CreateFunction', 201],
  ['POST', '/2021-10-31/functions/{FunctionName}/url', 'CreateFunctionUrlConfig', 201],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'DeleteAlias', 204],
  ['DELETE', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'DeleteCapacityProvider', 202],
  ['DELETE', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'DeleteCodeSigningConfig', 204],
  ['DELETE', '/2015-03-31/event-source-mappings/{UUID}', 'DeleteEventSourceMapping', 202],
  ['DELETE', '/2015-03-31/functions/{FunctionName}', 'DeleteFunction', 200],
  ['DELETE', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'DeleteFunctionCodeSigningConfig', 204],
  ['DELETE', '/2017-10-31/functions/{FunctionName}/concurrency', 'DeleteFunctionConcurrency', 204],
  ['DELETE', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'DeleteFunctionEventInvokeConfig', 204],
  ['DELETE', '/2021-10-31/functions/{FunctionName}/url', 'DeleteFunctionUrlConfig', 204],
  ['DELETE', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'DeleteLayerVersion', 204],
  ['DELETE', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'DeleteProvisionedConcurrencyConfig', 204],
  ['DELETE', '/2026-07-09/resource-policy/{ResourceArn}', 'DeleteResourcePolicy', 204],
  ['GET', '/2016-08-19/account-settings', 'GetAccountSettings', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'GetAlias', 200],
  ['GET', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'GetCapacityProvider', 200],
  ['GET', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'GetCodeSigningConfig', 200],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}', 'GetDurableExecution', 200],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}/history', 'GetDurableExecutionHistory', 200],
  ['GET', '/2025-12-01/durable-executions/{DurableExecutionArn}/state', 'GetDurableExecutionState', 200],
  ['GET', '/2015-03-31/event-source-mappings/{UUID}', 'GetEventSourceMapping', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}', 'GetFunction', 200],
  ['GET', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'GetFunctionCodeSigningConfig', 200],
  ['GET', '/2019-09-30/functions/{FunctionName}/concurrency', 'GetFunctionConcurrency', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}/configuration', 'GetFunctionConfiguration', 200],
  ['GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'GetFunctionEventInvokeConfig', 200],
  ['GET', '/2024-08-31/functions/{FunctionName}/recursion-config', 'GetFunctionRecursionConfig', 200],
  ['GET', '/2025-11-30/functions/{FunctionName}/function-scaling-config', 'GetFunctionScalingConfig', 200],
  ['GET', '/2021-10-31/functions/{FunctionName}/url', 'GetFunctionUrlConfig', 200],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}', 'GetLayerVersion', 200],
  ['GET', '/2018-10-31/layers?find=LayerVersion', 'GetLayerVersionByArn', 200],
  ['GET', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy', 'GetLayerVersionPolicy', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}/policy', 'GetPolicy', 200],
  ['GET', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'GetProvisionedConcurrencyConfig', 200],
  ['GET', '/2026-07-09/resource-policy/{ResourceArn}', 'GetResourcePolicy', 200],
  ['GET', '/2021-07-20/functions/{FunctionName}/runtime-management-config', 'GetRuntimeManagementConfig', 200],
  ['POST', '/2015-03-31/functions/{FunctionName}/invocations', 'Invoke', 200],
  ['POST', '/2014-11-13/functions/{FunctionName}/invoke-async', 'InvokeAsync', 202],
  ['POST', '/2021-11-15/functions/{FunctionName}/response-streaming-invocations', 'InvokeWithResponseStream', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases', 'ListAliases', 200],
  ['GET', '/2025-11-30/capacity-providers', 'ListCapacityProviders', 200],
  ['GET', '/2020-04-22/code-signing-configs', 'ListCodeSigningConfigs', 200],
  ['GET', '/2025-12-01/functions/{FunctionName}/durable-executions', 'ListDurableExecutionsByFunction', 200],
  ['GET', '/2015-03-31/event-source-mappings', 'ListEventSourceMappings', 200],
  ['GET', '/2019-09-25/functions/{FunctionName}/event-invoke-config/list', 'ListFunctionEventInvokeConfigs', 200],
  ['GET', '/2015-03-31/functions', 'ListFunctions', 200],
  ['GET', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}/functions', 'ListFunctionsByCodeSigningConfig', 200],
  ['GET', '/2021-10-31/functions/{FunctionName}/urls', 'ListFunctionUrlConfigs', 200],
  ['GET', '/2025-11-30/capacity-providers/{CapacityProviderName}/function-versions', 'ListFunctionVersionsByCapacityProvider', 200],
  ['GET', '/2018-10-31/layers', 'ListLayers', 200],
  ['GET', '/2018-10-31/layers/{LayerName}/versions', 'ListLayerVersions', 200],
  ['GET', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency?List=ALL', 'ListProvisionedConcurrencyConfigs', 200],
  ['GET', '/2017-03-31/tags/{Resource}', 'ListTags', 200],
  ['GET', '/2015-03-31/functions/{FunctionName}/versions', 'ListVersionsByFunction', 200],
  ['POST', '/2018-10-31/layers/{LayerName}/versions', 'PublishLayerVersion', 201],
  ['POST', '/2015-03-31/functions/{FunctionName}/versions', 'PublishVersion', 201],
  ['PUT', '/2020-06-30/functions/{FunctionName}/code-signing-config', 'PutFunctionCodeSigningConfig', 200],
  ['PUT', '/2017-10-31/functions/{FunctionName}/concurrency', 'PutFunctionConcurrency', 200],
  ['PUT', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'PutFunctionEventInvokeConfig', 200],
  ['PUT', '/2024-08-31/functions/{FunctionName}/recursion-config', 'PutFunctionRecursionConfig', 200],
  ['PUT', '/2025-11-30/functions/{FunctionName}/function-scaling-config', 'PutFunctionScalingConfig', 202],
  ['PUT', '/2019-09-30/functions/{FunctionName}/provisioned-concurrency', 'PutProvisionedConcurrencyConfig', 202],
  ['PUT', '/2026-07-09/resource-policy/{ResourceArn}', 'PutResourcePolicy', 200],
  ['PUT', '/2021-07-20/functions/{FunctionName}/runtime-management-config', 'PutRuntimeManagementConfig', 200],
  ['DELETE', '/2018-10-31/layers/{LayerName}/versions/{VersionNumber}/policy/{StatementId}', 'RemoveLayerVersionPermission', 204],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/policy/{StatementId}', 'RemovePermission', 204],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/fail', 'SendDurableExecutionCallbackFailure', 200],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/heartbeat', 'SendDurableExecutionCallbackHeartbeat', 200],
  ['POST', '/2025-12-01/durable-execution-callbacks/{CallbackId}/succeed', 'SendDurableExecutionCallbackSuccess', 200],
  ['POST', '/2025-12-01/durable-executions/{DurableExecutionArn}/stop', 'StopDurableExecution', 200],
  ['POST', '/2017-03-31/tags/{Resource}', 'TagResource', 204],
  ['DELETE', '/2017-03-31/tags/{Resource}', 'UntagResource', 204],
  ['PUT', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'UpdateAlias', 200],
  ['PUT', '/2025-11-30/capacity-providers/{CapacityProviderName}', 'UpdateCapacityProvider', 202],
  ['PUT', '/2020-04-22/code-signing-configs/{CodeSigningConfigArn}', 'UpdateCodeSigningConfig', 200],
  ['PUT', '/2015-03-31/event-source-mappings/{UUID}', 'UpdateEventSourceMapping', 202],
  ['PUT', '/2015-03-31/functions/{FunctionName}/code', 'UpdateFunctionCode', 200],
  ['PUT', '/2015-03-31/functions/{FunctionName}/configuration', 'UpdateFunctionConfiguration', 200],
  ['POST', '/2019-09-25/functions/{FunctionName}/event-invoke-config', 'UpdateFunctionEventInvokeConfig', 200],
  ['PUT', '/2021-10-31/functions/{FunctionName}/url', 'UpdateFunctionUrlConfig', 200],
];

/** Lambda's limit for a synchronous (RequestResponse / DryRun) Invoke request payload. */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
/** Lambda's limit for an asynchronous (Event) Invoke payload (raised from 256 KB to 1 MB in 2025). */
export const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;

const BINDINGS: Record<string, Pick<RestOperation, 'input' | 'output' | 'maxBodyBytes'>> = {
  Invoke: {
    input: {
      FunctionName: { in: 'path', name: 'FunctionName' },
      Qualifier: { in: 'query', name: 'Qualifier' },
      InvocationType: { in: 'header', name: 'X-Amz-Invocation-Type' },
      LogType: { in: 'header', name: 'X-Amz-Log-Type' },
      ClientContext: { in: 'header', name: 'X-Amz-Client-Context' },
      Payload: { in: 'payload' },
    },
    output: {
      StatusCode: { in: 'status' },
      FunctionError: { in: 'header', name: 'X-Amz-Function-Error' },
      LogResult: { in: 'header', name: 'X-Amz-Log-Result' },
      ExecutedVersion: { in: 'header', name: 'X-Amz-Executed-Version' },
      Payload: { in: 'payload', contentType: 'application/json' },
    },
    maxBodyBytes: MAX_SYNC_PAYLOAD_BYTES,
  },
  ListFunctions: {
    input: {
      Marker: { in: 'query', name: 'Marker' },
      MaxItems: { in: 'query', name: 'MaxItems' },
      FunctionVersion: { in: 'query', name: 'FunctionVersion' },
      MasterRegion: { in: 'query', name: 'MasterRegion' },
    },
  },
  GetFunction: {
    input: { FunctionName: { in: 'path', name: 'FunctionName' }, Qualifier: { in: 'query', name: 'Qualifier' } },
  },
  GetFunctionConfiguration: {
    input: { FunctionName: { in: 'path', name: 'FunctionName' }, Qualifier: { in: 'query', name: 'Qualifier' } },
  },
};

export const LAMBDA_OPERATIONS: RestOperation[] = ROUTES.map(([method, path, name, status]) => ({
  name, method, path, status, ...BINDINGS[name],
}));

/** Path prefixes that only the Lambda API uses (for routing unsigned requests on the shared port). */
export const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\/(functions|event-source-mappings|tags|layers|account-settings|code-signing-configs|capacity-providers|durable-executions?|durable-execution-callbacks|resource-policy)(\/|\?|$)/;
