// Where a job's state lives in the results bucket, and small helpers around it:
//   jobs/<jobId>/job.json        the job as submitted (how many tasks)
//   results/<jobId>/<task>.json  one object per finished task
//   jobs/<jobId>/completed.json  written once, by the worker that finished the last task
//   jobs/<jobId>/final.json      written by `finalize` when the completion notice arrives
import { S3Client, GetObjectCommand, PutObjectCommand, ListObjectsV2Command, DeleteObjectsCommand } from '@aws-sdk/client-s3';

export const s3 = new S3Client({});
const Bucket = process.env.RESULTS_BUCKET!;

export type Job = { jobId: string; total: number; submittedAt: string };
export type TaskResult = { jobId: string; task: number; words: number; receiveCount: number };
export type Completion = { jobId: string; total: number; words: number; completedAt: string };

export const jobKey = (jobId: string) => `jobs/${jobId}/job.json`;
export const resultKey = (jobId: string, task: number) => `results/${jobId}/${String(task).padStart(5, '0')}.json`;
export const completedKey = (jobId: string) => `jobs/${jobId}/completed.json`;
export const finalKey = (jobId: string) => `jobs/${jobId}/final.json`;

/** Writes JSON; with `createOnly`, resolves false instead of replacing an existing object. */
export async function putJson(key: string, value: unknown, createOnly = false): Promise<boolean> {
  try {
    await s3.send(new PutObjectCommand({
      Bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json',
      ...(createOnly && { IfNoneMatch: '*' }),
    }));
    return true;
  } catch (err) {
    if (createOnly && (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412) return false;
    throw err;
  }
}

export async function getJson<T>(key: string): Promise<T | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
    return JSON.parse(await out.Body!.transformToString()) as T;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

/** Every key under a prefix (ListObjectsV2 pages through 1,000 at a time). */
export async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return keys;
}

export async function deleteKeys(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
}
