// The processes a test started, found through /proc: every descendant of a pid (instances run in
// their own process groups, so the process tree is followed, not the group), and whether they
// are still alive afterwards.
import { readdirSync, readFileSync } from 'node:fs';

export type ProcessId = { pid: number; ppid: number; start: string; cmd: string };

function stat(pid: number): ProcessId | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command: state ppid pgrp … starttime (22nd field overall).
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z') return undefined;
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid: Number(rest[1]), start: rest[19]!, cmd };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root` (children, their children, …). */
export function descendants(root: number): ProcessId[] {
  const all: ProcessId[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = stat(Number(name));
    if (p) all.push(p);
  }
  const found: ProcessId[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of all) if (p.ppid === parent) { found.push(p); frontier.push(p.pid); }
  }
  return found;
}

/** Those of `procs` still running (same pid and the same start time, so a reused pid is not counted). */
export function stillRunning(procs: ProcessId[]): ProcessId[] {
  return procs.filter((p) => stat(p.pid)?.start === p.start);
}
