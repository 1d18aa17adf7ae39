// Gannet's own diagnostic output (not function logs). Writes to stderr; tests pass a collecting logger.

export type Logger = {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  debug(msg: string): void;
};

export function stderrLogger(opts: { debug?: boolean } = {}): Logger {
  const write = (s: string) => process.stderr.write(s + '\n');
  return {
    info: write,
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
    debug: opts.debug ? (m) => write(`debug: ${m}`) : () => {},
  };
}
