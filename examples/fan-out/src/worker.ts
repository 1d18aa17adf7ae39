// Processes task batches from the queue: counts each document's words and stores the result. The
// worker that stores a job's last result announces the completion on the topic, exactly once
// (a create-only write decides who that is). Failed tasks are reported one by one, so the rest of
// the batch is not retried.
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { completedKey, getJson, jobKey, listKeys, putJson, resultKey, type Completion, type Job, type TaskResult } from './jobs';

const sns = new SNSClient({});

type SqsRecord = { messageId: string; body: string; attributes: { ApproximateReceiveCount: string } };
type Task = { jobId: string; task: number; text: string };

export const handler = async (event: { Records: SqsRecord[] }) => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const touched = new Set<string>();
  for (const record of event.Records) {
    try {
      const task = JSON.parse(record.body) as Task;
      const result: TaskResult = {
        jobId: task.jobId, task: task.task,
        words: task.text.split(/\s+/).filter(Boolean).length,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
      };
      await putJson(resultKey(task.jobId, task.task), result);
      console.log(JSON.stringify({ processed: { jobId: task.jobId, task: task.task } }));
      touched.add(task.jobId);
    } catch (err) {
      console.error(`task ${record.messageId} failed: ${(err as Error).message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  for (const jobId of touched) await completeIfDone(jobId);
  return { batchItemFailures };
};

async function completeIfDone(jobId: string): Promise<void> {
  const job = await getJson<Job>(jobKey(jobId));
  if (!job) return;
  const keys = await listKeys(`results/${jobId}/`);
  if (keys.length < job.total) return;
  let words = 0;
  for (const key of keys) words += (await getJson<TaskResult>(key))?.words ?? 0;
  const completion: Completion = { jobId, total: job.total, words, completedAt: new Date().toISOString() };
  // Several workers may see the last result at once; only the one whose write creates the marker publishes.
  if (!await putJson(completedKey(jobId), completion, true)) return;
  await sns.send(new PublishCommand({
    TopicArn: process.env.JOB_DONE_TOPIC_ARN,
    Subject: 'job complete',
    Message: JSON.stringify(completion),
    MessageAttributes: { jobId: { DataType: 'String', StringValue: jobId } },
  }));
  console.log(JSON.stringify({ completed: completion }));
}
