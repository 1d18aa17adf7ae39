// The text of `gannet --help` and `gannet help <command>`.

export const commandHelp: Record<string, string> = {
  dev: `gannet dev [DIR] [options]

Runs the service in DIR (default .): the HTTP gateway for its http/httpApi events, the
AWS-compatible endpoint (Lambda, SQS, SNS, S3) and its schedules, queues, topics and buckets.
Watches the folder: code and serverless.yml changes apply to the next request.

  --port N              gateway port (default 3000; 0 picks a free one)
  --host ADDR           address to listen on (default 127.0.0.1)
  --aws-port N          AWS endpoint port (default 4566)
  -s, --stage NAME      stage (default: provider.stage, else dev)
  -r, --region NAME     region (default: provider.region, else us-east-1)
  -c, --config FILE     serverless.yml to read (default: found in DIR)
  --param KEY=VALUE     a \${param:KEY} value (repeatable)
  --no-stage-prefix     serve REST routes without the /<stage> prefix
  --no-schedules        do not fire schedule events
  --no-watch            do not watch for changes
  --data-dir DIR        keep queues, objects and logs in DIR (default DIR/.gannet/<stage>)
  --retry-delay-scale X scale Lambda's async retry delays (tests use 0.001)
  --debug               print Gannet's own debug lines`,
  invoke: `gannet invoke [DIR] -f NAME [options]

Invokes one function once, as \`serverless invoke local\` does, but with Lambda's runtime:
the result goes to stdout as JSON, the function's logs to stderr. A function error prints
Lambda's error JSON to stdout and exits 1.

  -f, --function NAME   the function's key under functions:
  -d, --data JSON       the event (default {})
  -p, --path FILE       read the event from a JSON file
  -e, --env KEY=VALUE   extra environment variable for the function (repeatable)
  --schedule            send the function's schedule event (one tick) instead of -d
  --data-dir DIR        the store \`gannet dev\` uses, when it was given one
  -s, --stage NAME      stage;  -c, --config FILE;  --param KEY=VALUE (repeatable)`,
  logs: `gannet logs [DIR] -f NAME [options]

Prints the function's invocation logs recorded by \`gannet dev\` and \`gannet invoke\`.

  -f, --function NAME   the function's key under functions:
  -t, --tail            keep following new invocations
  --filter TEXT         only invocations whose log lines contain TEXT
  --since AGE           only invocations newer than AGE (30s, 10m, 2h, 1d or an ISO date)
  -s, --stage NAME      stage;  -c, --config FILE`,
};

export const mainHelp = `gannet — run Serverless Framework services with AWS Lambda's semantics

Usage: gannet <command> [DIR] [options]

Commands:
  dev       run the service: HTTP gateway, AWS endpoint, schedules, queues, buckets
  invoke    invoke one function once and print its result
  logs      print a function's invocation logs
  help      show help for a command

Options:
  -h, --help       show this help
  -v, --version    print Gannet's version

Run \`gannet help <command>\` for a command's options.`;
