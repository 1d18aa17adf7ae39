// The one builder of the SQS event a polled function receives (camelCase keys, unlike the SQS API).

/** A received message in the SQS API's own shape (ReceiveMessage with All attributes). */
export type ReceivedSqsMessage = {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  MD5OfBody: string;
  MD5OfMessageAttributes?: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string;
    StringListValues?: string[]; BinaryListValues?: string[] }>;
};

export function sqsEventRecord(m: ReceivedSqsMessage, queueArn: string, region: string) {
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      stringValue: v.StringValue ?? null,
      binaryValue: v.BinaryValue ?? null,
      stringListValues: v.StringListValues ?? [],
      binaryListValues: v.BinaryListValues ?? [],
      dataType: v.DataType,
    };
  }
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes: m.Attributes ?? {},
    messageAttributes,
    md5OfMessageAttributes: m.MD5OfMessageAttributes ?? null,
    md5OfBody: m.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export function sqsEvent(messages: ReceivedSqsMessage[], queueArn: string, region: string) {
  return { Records: messages.map((m) => sqsEventRecord(m, queueArn, region)) };
}

/**
 * Which messages a `ReportBatchItemFailures` response leaves on the queue (aws-compat §10.1):
 * no key, null or [] → none; an unknown or empty itemIdentifier → the whole batch.
 */
export function failedItems(response: unknown, messageIds: string[]): Set<string> {
  const all = new Set(messageIds);
  if (response === null || typeof response !== 'object') return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}
