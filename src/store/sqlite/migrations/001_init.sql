-- Gannet store schema, version 1. Times are epoch milliseconds; JSON columns hold plain objects.

CREATE TABLE queues (
  name        TEXT PRIMARY KEY,
  fifo        INTEGER NOT NULL,
  attributes  TEXT NOT NULL,             -- JSON: SQS attributes as strings
  tags        TEXT NOT NULL,             -- JSON
  created_at  INTEGER NOT NULL,
  internal    INTEGER NOT NULL,
  next_seq    INTEGER NOT NULL DEFAULT 0 -- FIFO SequenceNumber counter
) STRICT;

-- One row per message. `seq` is the global send order; claims take visible rows by `seq`.
-- State follows from two columns: visible (visible_at <= now), in flight (receipt set and
-- visible_at > now), delayed (never received or released, visible_at > now).
CREATE TABLE messages (
  seq               INTEGER PRIMARY KEY,   -- rowid: cheaper than AUTOINCREMENT, and order is all it is for
  id                TEXT NOT NULL,
  queue             TEXT NOT NULL,
  body              TEXT NOT NULL,
  attributes        TEXT NOT NULL,       -- JSON, message attributes as given
  system_attributes TEXT NOT NULL,       -- JSON
  group_id          TEXT,
  dedup_id          TEXT,
  sequence_number   TEXT,
  sent_at           INTEGER NOT NULL,    -- SentTimestamp, kept across a move
  enqueued_at       INTEGER NOT NULL,    -- retention clock (a FIFO DLQ move restarts it, as SQS does)
  visible_at        INTEGER NOT NULL,
  receive_count     INTEGER NOT NULL DEFAULT 0,
  first_received_at INTEGER,
  receipt           TEXT
) STRICT;
-- One covering index serves claims (seq order, skipping hidden rows), counts and the next wake-up
-- time. A second (queue, visible_at) index made each send ~35% slower (measured) to speed up only
-- the scan for the next wake-up, which runs once per empty long poll.
CREATE INDEX messages_queue_order ON messages (queue, seq, visible_at);
CREATE UNIQUE INDEX messages_receipt ON messages (receipt) WHERE receipt IS NOT NULL;
CREATE INDEX messages_group ON messages (queue, group_id, seq) WHERE group_id IS NOT NULL;

-- FIFO deduplication outlives the message: a duplicate within the window is dropped even
-- after the original was deleted. `dedup_key` includes the group when DeduplicationScope=messageGroup.
CREATE TABLE fifo_dedup (
  queue           TEXT NOT NULL,
  dedup_key       TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  sequence_number TEXT NOT NULL,
  sent_at         INTEGER NOT NULL,
  PRIMARY KEY (queue, dedup_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX fifo_dedup_age ON fifo_dedup (queue, sent_at);

CREATE TABLE buckets (
  name       TEXT PRIMARY KEY,
  region     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE bucket_config (
  bucket TEXT NOT NULL,
  name   TEXT NOT NULL,                  -- notification, cors, tags, policy...
  value  TEXT NOT NULL,                  -- JSON
  PRIMARY KEY (bucket, name)
) STRICT, WITHOUT ROWID;

-- TEXT keys compare with BINARY collation, i.e. memcmp of UTF-8: S3's listing order.
CREATE TABLE objects (
  bucket        TEXT NOT NULL,
  key           TEXT NOT NULL,
  size          INTEGER NOT NULL,
  etag          TEXT NOT NULL,
  last_modified INTEGER NOT NULL,
  meta          TEXT NOT NULL,           -- JSON ObjectMeta
  file          TEXT NOT NULL,           -- body file, relative to the objects folder
  PRIMARY KEY (bucket, key)
) STRICT;

CREATE TABLE uploads (
  upload_id    TEXT PRIMARY KEY,
  bucket       TEXT NOT NULL,
  key          TEXT NOT NULL,
  meta         TEXT NOT NULL,
  initiated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX uploads_bucket ON uploads (bucket, key);

CREATE TABLE upload_parts (
  upload_id     TEXT NOT NULL,
  part_number   INTEGER NOT NULL,
  etag          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  last_modified INTEGER NOT NULL,
  file          TEXT NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) STRICT;

CREATE TABLE records (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so a follower's afterSeq stays valid
  request_id    TEXT NOT NULL,
  function_name TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  logs          TEXT NOT NULL,           -- JSON array of log lines
  record        TEXT NOT NULL            -- JSON InvocationRecord without logs
) STRICT;
CREATE INDEX records_function ON records (function_name, seq);
CREATE INDEX records_started ON records (started_at);

CREATE TABLE kv (
  ns    TEXT NOT NULL,
  key   TEXT NOT NULL,
  value TEXT NOT NULL,                   -- JSON
  PRIMARY KEY (ns, key)
) STRICT, WITHOUT ROWID;
