// POST /jobs {"documents": ["...", ...]}: one task per document, sent to the tasks queue ten at a
// time; answers 202 with the job id to poll at GET /jobs/{id}.
import { randomUUID } from 'node:crypto';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { putJson, jobKey, type Job } from './jobs';

const sqs = new SQSClient({});
const MAX_TASKS = 1000;

type HttpApiEvent = { body?: string; isBase64Encoded?: boolean };

const reply = (statusCode: number, body: unknown) => ({
  statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

export const handler = async (event: HttpApiEvent) => {
  let documents: unknown;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
    documents = (JSON.parse(text) as { documents?: unknown }).documents;
  } catch {
    return reply(400, { message: 'the body must be JSON: {"documents": ["text", ...]}' });
  }
  if (!Array.isArray(documents) || documents.length === 0 || documents.length > MAX_TASKS || !documents.every((d) => typeof d === 'string')) {
    return reply(400, { message: `"documents" must be an array of 1 to ${MAX_TASKS} strings` });
  }

  const job: Job = { jobId: randomUUID(), total: documents.length, submittedAt: new Date().toISOString() };
  // The job is recorded before its tasks exist, so a worker always finds the total it counts towards.
  await putJson(jobKey(job.jobId), job);
  for (let first = 0; first < documents.length; first += 10) {
    const out = await sqs.send(new SendMessageBatchCommand({
      QueueUrl: process.env.TASKS_QUEUE_URL,
      Entries: documents.slice(first, first + 10).map((text, i) => ({
        Id: `t${first + i}`,
        MessageBody: JSON.stringify({ jobId: job.jobId, task: first + i, text }),
      })),
    }));
    if (out.Failed?.length) throw new Error(`could not queue ${out.Failed.length} tasks: ${out.Failed[0]!.Message}`);
  }
  return reply(202, { jobId: job.jobId, tasks: job.total, status: `/jobs/${job.jobId}` });
};
