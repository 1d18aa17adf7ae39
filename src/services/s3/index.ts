// The S3 service's public surface: the provider, and the stored bucket-config forms other modules
// read or write (notification targets for event sources; CORS and tags for `resources:` buckets).
export { createS3Provider, type S3Provider, type S3ProviderOptions } from './provider.ts';
export {
  NOTIFICATION_CONFIG_KEY, parseNotificationConfig, targetsFor, eventMatches,
  type BucketNotificationConfig, type NotificationTarget, type NotificationTargetKind,
} from './notification-config.ts';
export { CORS_CONFIG_KEY, MAX_CORS_RULES, parseCorsConfig, type CorsConfig, type CorsRule } from './cors.ts';
export { TAGGING_CONFIG_KEY } from './bucket-config.ts';
export { DEFAULT_VIRTUAL_HOST_BASES, bucketFromHost } from './addressing.ts';
