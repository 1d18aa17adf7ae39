// Runs every minute: removes finalized jobs (their results and records) older than the retention
// period (RETENTION_MINUTES, or `retentionMinutes` in the schedule's input).
import { deleteKeys, finalKey, getJson, listKeys } from './jobs';

type ScheduledEvent = { 'detail-type'?: string; time?: string; retentionMinutes?: number };

export const handler = async (event: ScheduledEvent) => {
  const retentionMinutes = event.retentionMinutes ?? Number(process.env.RETENTION_MINUTES ?? 60);
  const cutoff = Date.now() - retentionMinutes * 60_000;
  const jobIds = new Set((await listKeys('jobs/')).map((k) => k.split('/')[1]!));
  const removed: string[] = [];
  for (const jobId of jobIds) {
    const final = await getJson<{ finalizedAt: string }>(finalKey(jobId));
    if (!final || Date.parse(final.finalizedAt) > cutoff) continue;
    await deleteKeys([...await listKeys(`results/${jobId}/`), ...await listKeys(`jobs/${jobId}/`)]);
    removed.push(jobId);
  }
  console.log(JSON.stringify({ cleanup: { at: event.time, scanned: jobIds.size, removed: removed.length } }));
  return { scanned: jobIds.size, removed };
};
