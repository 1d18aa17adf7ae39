// The `gannet` command as a new user meets it, started by the system's older Node first on PATH
// (bin/gannet.js re-executes itself on the pinned Node 24): help, version, usage errors, and the
// one-screen errors for a malformed serverless.yml or a function that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runGannet, SYSTEM_NODE, tempService, yaml } from '../helpers/cli.ts';

const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
const hello = fileURLToPath(new URL('../../examples/hello', import.meta.url));

/** No stack trace: no `    at fn (file:line)` frames and no "unexpected error". */
function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at .*\d+:\d+\)?$/m, `no stack trace in:\n${stderr}`);
  assert.doesNotMatch(stderr, /unexpected error/, stderr);
}

test('gannet --version, --help and help <command> answer on stdout and exit 0', async () => {
  const [version, help, helpInvoke, helpDev, bare] = await Promise.all([
    runGannet(['--version']), runGannet(['--help']), runGannet(['help', 'invoke']), runGannet(['dev', '--help']), runGannet([]),
  ]);
  if (SYSTEM_NODE) assert.ok(SYSTEM_NODE, 'started by the system Node, re-executed on the pinned one');
  assert.deepEqual([version.code, version.stdout], [0, `gannet ${pkg.version}\n`], version.stderr);
  assert.equal(help.code, 0, help.stderr);
  for (const command of ['dev', 'invoke', 'logs', 'help']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  assert.equal(helpInvoke.code, 0);
  assert.match(helpInvoke.stdout, /^gannet invoke \[DIR\] -f NAME/);
  for (const option of ['--function', '--data', '--path', '--env', '--stage', '--config', '--param']) assert.ok(helpInvoke.stdout.includes(option), option);
  assert.equal(helpDev.code, 0);
  assert.match(helpDev.stdout, /^gannet dev \[DIR\]/);
  assert.ok(helpDev.stdout.includes('--no-stage-prefix'));
  assert.deepEqual([bare.code, bare.stdout], [0, help.stdout], 'gannet alone prints the help');
});

test('an unknown command, option or help topic exits 2 with one clear line', async () => {
  const [command, option, topic, strayValue, wrongCommandOption] = await Promise.all([
    runGannet(['frobnicate']),
    runGannet(['invoke', hello, '-f', 'hello', '--bogus']),
    runGannet(['help', 'nope']),
    runGannet(['dev', hello, '--port', 'eighty']),
    runGannet(['invoke', hello, '-f', 'hello', '--tail']),
  ]);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /^gannet: unknown command "frobnicate"/);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /^gannet: unknown option --bogus/);
  assert.match(option.stderr, /gannet help invoke/);
  assert.equal(topic.code, 2);
  assert.match(topic.stderr, /^gannet: no command "nope"; commands: dev, invoke, logs/);
  assert.equal(strayValue.code, 2);
  assert.match(strayValue.stderr, /--port expects a port number .*"eighty"/);
  assert.equal(wrongCommandOption.code, 2, 'an option of another command is refused, not ignored');
  assert.match(wrongCommandOption.stderr, /^gannet: gannet invoke does not take --tail/);
  for (const r of [command, option, topic, strayValue, wrongCommandOption]) {
    assert.equal(r.stdout, '');
    assertNoStack(r.stderr);
  }
});

test('a malformed serverless.yml gives a one-screen error with file:line:column, exit 1, no stack trace', async (t) => {
  const badYaml = tempService(t, {
    'serverless.yml': yaml(
      'service: broken',          // 1
      'provider:',                // 2
      '  name: aws',              // 3
      '  runtime: nodejs20.x',    // 4
      'functions:',               // 5
      '  hello:',                 // 6
      '    handler: handler.hello', // 7
      '     events: [',           // 8: bad indentation and an unclosed flow sequence
    ),
    'handler.js': 'exports.hello = async () => "hi";\n',
  });
  const badValue = tempService(t, {
    'serverless.yml': yaml(
      'service: broken',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'functions:',
      '  hello:',
      '    handler: handler.hello',
      '    timeout: soon',        // 8
    ),
    'handler.js': 'exports.hello = async () => "hi";\n',
  });
  const [syntax, value, dev] = await Promise.all([
    runGannet(['invoke', badYaml, '-f', 'hello']),
    runGannet(['invoke', badValue, '-f', 'hello']),
    runGannet(['dev', badYaml, '--port', '0', '--aws-port', '0']),
  ]);
  for (const [r, line] of [[syntax, 7], [value, 8], [dev, 7]] as const) {
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assertNoStack(r.stderr);
    assert.ok(r.stderr.split('\n').length <= 24, `fits one screen:\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`serverless\\.yml:${line}:\\d+: `), r.stderr);
  }
  assert.match(value.stderr, /functions\.hello\.timeout: expected a number of seconds/);
  assert.match(value.stderr, /> 8 \|     timeout: soon/, 'the offending line is shown');
});

test('a function that is not in serverless.yml, or none given, lists the functions', async () => {
  const python = fileURLToPath(new URL('../../examples/hello-python', import.meta.url));
  const [unknown, missing, noService] = await Promise.all([
    runGannet(['invoke', python, '-f', 'nope']),
    runGannet(['invoke', python]),
    runGannet(['invoke', fileURLToPath(new URL('.', import.meta.url)), '-f', 'x']),
  ]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /function "nope" is not in .*serverless\.yml; functions: hello, fail/);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs the function: -f NAME\nfunctions in .*serverless\.yml: hello, fail/);
  assert.equal(noService.code, 1);
  assert.match(noService.stderr, /serverless\.yml/, 'says which file it looked for');
  for (const r of [unknown, missing, noService]) assertNoStack(r.stderr);
});
