// One Store interface, two backends (sqlite now, postgres later), one conformance suite.
// Queue rows carry SQS messages, async invocations and retries alike: one mechanism, tested once.
import type { Readable } from 'node:stream';
import type { InvocationRecord } from '../invoke/types.ts';

export type QueueConfig = {
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;   // SQS attributes as strings (VisibilityTimeout, RedrivePolicy...)
  tags: Record<string, string>;
  createdAt: number;
  internal: boolean;                    // Gannet's own queues (async invocations) are not listed by SQS
};

export type NewMessage = {
  body: string;
  attributes?: Record<string, unknown>; // message attributes, stored as given
  systemAttributes?: Record<string, string>;
  delayMs?: number;
  groupId?: string;
  dedupId?: string;
};

export type StoredMessage = {
  id: string;
  queue: string;
  body: string;
  attributes: Record<string, unknown>;
  systemAttributes: Record<string, string>;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
};

export type ClaimedMessage = StoredMessage & { receipt: string };

export interface QueueStore {
  create(cfg: QueueConfig): Promise<void>;
  get(name: string): Promise<QueueConfig | undefined>;
  /** Replaces each field given (the caller merges SetQueueAttributes/TagQueue/UntagQueue changes). */
  update(name: string, patch: Partial<Pick<QueueConfig, 'attributes' | 'tags'>>): Promise<void>;
  list(prefix?: string): Promise<QueueConfig[]>;
  remove(name: string): Promise<void>;
  purge(name: string): Promise<void>;
  /** Returns the stored message; for FIFO, a duplicate dedupId within 5 minutes returns the original. */
  send(queue: string, msgs: NewMessage[]): Promise<StoredMessage[]>;
  /** Atomically claims up to `max` visible messages, hides them for `visibilityMs`, increments receiveCount.
   *  FIFO: never claims a message whose group has another message in flight, and keeps group order. */
  claim(queue: string, max: number, visibilityMs: number): Promise<ClaimedMessage[]>;
  /** Deletes claimed messages; a stale receipt is ignored (SQS semantics). Returns how many were deleted. */
  ack(queue: string, receipts: string[]): Promise<number>;
  /** Makes a claimed message visible again after `delayMs` (0 = now). False if the receipt is stale. */
  release(queue: string, receipt: string, delayMs: number): Promise<boolean>;
  /** Moves a claimed message to another queue in one transaction (redrive to a DLQ), keeping its id,
   *  body, attributes and receive count; `systemAttributes` are added (DeadLetterQueueSourceArn).
   *  False if the receipt is stale. */
  move(queue: string, receipt: string, toQueue: string, opts?: { systemAttributes?: Record<string, string> }): Promise<boolean>;
  /** Counts for GetQueueAttributes: visible, in flight, delayed. */
  counts(queue: string): Promise<{ visible: number; inFlight: number; delayed: number }>;
  /** Deletes messages older than `olderThanMs` (retention). */
  expire(queue: string, olderThanMs: number): Promise<number>;
  /** Resolves when a message may have become available on `queue` (or after `timeoutMs`), for long polling. */
  waitForMessage(queue: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

export type ObjectMeta = {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  cacheControl?: string;
  contentLanguage?: string;
  expires?: string;
  userMetadata: Record<string, string>; // x-amz-meta-*, lower-case keys without prefix
  checksums?: Record<string, string>;   // e.g. { CRC32: 'base64' }
  tags?: Record<string, string>;        // object tags (x-amz-tagging, PutObjectTagging)
};

export type StoredObject = ObjectMeta & {
  bucket: string;
  key: string;
  size: number;
  etag: string;          // with quotes, as S3 returns it
  lastModified: number;  // epoch ms
};

export type BucketInfo = { name: string; createdAt: number; region: string; config: Record<string, unknown> };

/** Conditional writes (S3's `If-None-Match: *` and `If-Match`), decided in the same transaction that
 *  publishes the object, so of concurrent conditional writers only those the condition allows win.
 *  Failure: GANNET_PRECONDITION_FAILED (412 PreconditionFailed); If-Match on a missing key:
 *  GANNET_OBJECT_NOT_FOUND (404 NoSuchKey). The body written for a failed write is discarded. */
export type WriteConditions = {
  /** Write only if no object has the key. */
  ifNoneMatch?: '*';
  /** Write only if the current object's ETag is this one (quotes optional); '*': if any object has the key. */
  ifMatch?: string;
};

export interface ObjectStore {
  createBucket(name: string, region: string): Promise<boolean>; // false if it already existed
  getBucket(name: string): Promise<BucketInfo | undefined>;
  listBuckets(): Promise<BucketInfo[]>;
  deleteBucket(name: string): Promise<void>;           // GANNET_BUCKET_NOT_EMPTY if objects remain
  setBucketConfig(name: string, key: string, value: unknown): Promise<void>; // notification, cors, tags...
  /** Streams the body to a temp file, then publishes atomically. `etag` computed as S3 does (MD5 hex) unless given. */
  put(bucket: string, key: string, body: Readable, meta: ObjectMeta, opts?: { etag?: string } & WriteConditions): Promise<StoredObject>;
  /** Changes an object's metadata (tags...) in place: each field in `patch` replaces the stored one
   *  (undefined removes it); body, size, ETag and lastModified stay. Undefined if there is no such object. */
  setMeta(bucket: string, key: string, patch: Partial<ObjectMeta>): Promise<StoredObject | undefined>;
  head(bucket: string, key: string): Promise<StoredObject | undefined>;
  /** Body stream for the whole object or an inclusive byte range. */
  get(bucket: string, key: string, range?: { start: number; end: number }): Promise<{ object: StoredObject; body: Readable } | undefined>;
  list(bucket: string, opts: { prefix?: string; startAfter?: string; maxKeys: number }): Promise<{ objects: StoredObject[]; truncated: boolean }>;
  delete(bucket: string, key: string): Promise<boolean>;
  /** Multipart: parts are stored as temp files, completed by concatenation into one atomic publish. */
  createUpload(bucket: string, key: string, meta: ObjectMeta): Promise<string>;
  putPart(uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string; size: number }>;
  listParts(uploadId: string): Promise<{ partNumber: number; etag: string; size: number; lastModified: number }[]>;
  getUpload(uploadId: string): Promise<{ bucket: string; key: string; meta: ObjectMeta; initiatedAt: number } | undefined>;
  listUploads(bucket: string): Promise<{ uploadId: string; key: string; initiatedAt: number }[]>;
  completeUpload(uploadId: string, parts: { partNumber: number; etag: string }[], opts?: WriteConditions): Promise<StoredObject>;
  abortUpload(uploadId: string): Promise<void>;
}

export type RecordFilter = { functionName?: string; since?: number; afterSeq?: number; text?: string; limit?: number };

export interface RecordStore {
  append(rec: InvocationRecord): Promise<void>;
  /** Appends several records, in order, as one write (one transaction): the invoker's batched path. */
  appendMany(recs: InvocationRecord[]): Promise<void>;
  /** Oldest first; `seq` lets a follower ask only for newer records. With `limit` and no `afterSeq`
   *  the newest `limit` matches are returned (a tail); with `afterSeq`, the first `limit` after it. */
  query(filter: RecordFilter): Promise<(InvocationRecord & { seq: number })[]>;
}

/** Small key/value state (topics, subscriptions, schedule ticks...), namespaced. */
export interface KvStore {
  get<T>(ns: string, key: string): Promise<T | undefined>;
  put(ns: string, key: string, value: unknown): Promise<void>;
  delete(ns: string, key: string): Promise<void>;
  list<T>(ns: string): Promise<{ key: string; value: T }[]>;
}

export interface Store {
  queues: QueueStore;
  objects: ObjectStore;
  records: RecordStore;
  kv: KvStore;
  close(): Promise<void>;
}
