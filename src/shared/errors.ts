// One error base class for Gannet. `code` is Gannet's own (GANNET_*); errors sent to AWS clients
// also carry the AWS error code and HTTP status, turned into a response in one place per protocol.

export class GannetError extends Error {
  code: string;
  awsCode?: string;
  status?: number;
  constructor(code: string, message: string, opts: { cause?: unknown; awsCode?: string; status?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GannetError';
    this.code = code;
    if (opts.awsCode !== undefined) this.awsCode = opts.awsCode;
    if (opts.status !== undefined) this.status = opts.status;
  }
}
