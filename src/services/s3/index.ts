// The S3 service's public surface: the provider, and the notification config form event sources read.
export { createS3Provider, type S3Provider, type S3ProviderOptions } from './provider.ts';
export {
  NOTIFICATION_CONFIG_KEY, parseNotificationConfig, targetsFor, eventMatches,
  type BucketNotificationConfig, type NotificationTarget, type NotificationTargetKind,
} from './notification-config.ts';
export { DEFAULT_VIRTUAL_HOST_BASES, bucketFromHost } from './addressing.ts';
