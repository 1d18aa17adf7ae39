// Reads what test functions print: one line `<TAG> <json>` per observation, found in the function
// log lines (`time\trequestId\tINFO\t<TAG> <json>`) that `gannet dev` writes to stdout.

/** Every JSON value printed after `TAG ` in `output`, in order. */
export function printed<T = any>(output: string, tag: string): T[] {
  const out: T[] = [];
  const marker = `\t${tag} `;
  for (const line of output.split('\n')) {
    const at = line.indexOf(marker);
    if (at >= 0) out.push(JSON.parse(line.slice(at + marker.length)) as T);
  }
  return out;
}

/** Polls `check` until it returns a value other than undefined/false; fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
