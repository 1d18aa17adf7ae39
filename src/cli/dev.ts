// `gannet dev`: runs the service until Ctrl-C — gateway, AWS endpoint, event sources, hot reload —
// then stops every instance it started.
import type { ParsedArgs } from './args.ts';
import { commonArgs, portOption } from './args.ts';
import { GannetError } from '../shared/errors.ts';
import { stderrLogger } from '../shared/log.ts';
import { routeLines, startServiceHost, type ServiceHost } from '../host/index.ts';
import { listenForInterrupt, signalExitCode } from './signals.ts';
import { releaseStartupMemory } from './startup-memory.ts';

export async function devCommand(parsed: ParsedArgs, positionals: string[]): Promise<number> {
  const v = parsed.values;
  const args = commonArgs(parsed, positionals);
  const log = stderrLogger({ debug: v.debug ?? false });
  const scale = v['retry-delay-scale'] === undefined ? 1 : Number(v['retry-delay-scale']);
  if (!(scale > 0)) throw new GannetError('GANNET_USAGE', `--retry-delay-scale expects a positive number, got "${v['retry-delay-scale']}"`);
  const echo = batchedLines(process.stdout);
  // Listening before the host starts: a Ctrl-C during start-up still stops what was started.
  const interrupt = listenForInterrupt((signal) => {
    process.stderr.write(`${signal} again: exiting without waiting for instances to stop\n`);
    process.exit(signalExitCode(signal));
  });
  try {
    const host = await startServiceHost({
      ...args, log,
      port: portOption(v.port, 3000, '--port'),
      awsPort: portOption(v['aws-port'], 4566, '--aws-port'),
      host: v.host ?? '127.0.0.1',
      stagePrefix: !v['no-stage-prefix'],
      schedules: !v['no-schedules'],
      watch: !v['no-watch'],
      retryDelayScale: scale,
      ...(v.spares !== undefined && { spares: Number(v.spares) }),
      ...(v['data-dir'] !== undefined && { dataDir: v['data-dir'] }),
      onFunctionLog: echo.line,
    });
    printBanner(host);
    const release = releaseStartupMemory();
    await interrupt.received;
    release.cancel();
    process.stderr.write('stopping…\n');
    await host.close();
    echo.flush();
    return 0;
  } finally {
    interrupt.dispose();
  }
}

/**
 * Function log lines (START, the function's own, END, REPORT: 3+ per invocation) reach the terminal
 * in one write per turn of the event loop. A write per line was a syscall per line on the request
 * path: 6 % of gannet dev's CPU at 1 connection (measured under wrk with --cpu-prof).
 */
export function batchedLines(out: NodeJS.WritableStream): { line(text: string): void; flush(): void } {
  let pending = '';
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  return {
    line: (text) => {
      pending += text + '\n';
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}

function printBanner(host: ServiceHost): void {
  const spec = host.spec();
  const lines: string[] = [`${spec.service} (stage ${spec.stage}, region ${spec.region})`];
  const routes = host.gateway ? routeLines(host.gateway) : [];
  for (const r of routes) lines.push(`  ${r}`);
  if (routes.length === 0) lines.push('  (no HTTP routes)');
  for (const o of host.outputs()) lines.push(`  output ${o.name}: ${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`);
  lines.push(`AWS endpoint: ${host.awsUrl}  (aws --endpoint-url ${host.awsUrl} …)`);
  lines.push(`ready: gateway ${host.gatewayUrl}`);
  process.stderr.write(lines.join('\n') + '\n');
}
