// GET /jobs/{id}: how far a job has got — running (with the tasks done so far), completed (the last
// task is done) or finalized (the completion notice was received).
import { completedKey, finalKey, getJson, jobKey, listKeys, type Completion, type Job } from './jobs';

type HttpApiEvent = { pathParameters?: Record<string, string> };

export const handler = async (event: HttpApiEvent) => {
  const jobId = event.pathParameters?.id ?? '';
  const job = await getJson<Job>(jobKey(jobId));
  if (!job) return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `no job ${jobId}` }) };
  const final = await getJson<Completion & { finalizedAt: string }>(finalKey(jobId));
  if (final) return { ...job, status: 'finalized', done: job.total, words: final.words, finalizedAt: final.finalizedAt };
  const completed = await getJson<Completion>(completedKey(jobId));
  if (completed) return { ...job, status: 'completed', done: job.total, words: completed.words };
  return { ...job, status: 'running', done: (await listKeys(`results/${jobId}/`)).length };
};
