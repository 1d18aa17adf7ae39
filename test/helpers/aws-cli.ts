// Runs the real AWS CLI v2 (Debian's /usr/bin/aws) against a Gannet endpoint, with a clean environment
// so a developer's ~/.aws config, profiles or pager never change what a test sees.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const AWS_CLI = '/usr/bin/aws';

/** Pass as `{ skip: awsCliSkip }` to a test: a reason string when the CLI is missing, else false. */
export const awsCliSkip: string | false = existsSync(AWS_CLI)
  ? false
  : `AWS CLI v2 not found at ${AWS_CLI}; install it with \`apt-get install -y awscli\` to run this test`;

export type AwsCliResult = { code: number; stdout: string; stderr: string };

export type AwsCliOptions = {
  endpoint: string;          // e.g. http://127.0.0.1:4566
  region?: string;           // default us-east-1
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;        // default 60 s
};

/** Runs `aws <args> --endpoint-url <endpoint>`; never throws on a non-zero exit (tests assert on it). */
export function awsCli(args: string[], opts: AwsCliOptions): Promise<AwsCliResult> {
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: opts.region ?? 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/gannet-test-aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/gannet-test-aws-credentials',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    execFile(AWS_CLI, [...args, '--endpoint-url', opts.endpoint], {
      env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8',
    }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err); // spawn failure or timeout, not an exit code
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs the CLI and parses its JSON output; fails with the CLI's stderr when it exits non-zero. */
export async function awsCliJson<T = any>(args: string[], opts: AwsCliOptions): Promise<T> {
  const r = await awsCli([...args, '--output', 'json'], opts);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return (r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout)) as T;
}
