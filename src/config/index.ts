// The config module's public surface: a service folder in, a validated ServiceSpec out, plus the
// CloudFormation intrinsic evaluator other modules use when creating resources.

export { loadService, type LoadOptions } from './load.ts';
export { ConfigError, type ConfigErrorInit } from './errors.ts';
export { formatWarning } from './source.ts';
export {
  resolveIntrinsics, IntrinsicError, isIntrinsicKey,
  type IntrinsicTable, type ResolveIntrinsicsOptions,
} from './intrinsics.ts';
export {
  defaultIntrinsicTable, intrinsicTableFromEntries,
  type IntrinsicEntry, type IntrinsicTableOptions,
} from './intrinsic-table.ts';
export {
  lambdaLogicalId, bucketLogicalId, topicLogicalId, functionArn, queueUrl, stackName, generatedName,
} from './naming.ts';
export { CONFIG_FILE_NAMES } from './find.ts';
export type * from './types.ts';
