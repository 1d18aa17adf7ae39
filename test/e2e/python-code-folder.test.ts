// A Python function's code folder is left as it was, as on Lambda where it is read-only: no
// __pycache__ is written into it. (Cached bytecode is trusted by mtime in whole seconds and size,
// so a handler saved twice within a second under `gannet dev` would otherwise run stale code.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runGannet, tempService, yaml } from '../helpers/cli.ts';

test('gannet invoke of a Python function writes no bytecode into the service folder', async (t) => {
  const dir = tempService(t, {
    'serverless.yml': yaml('service: pyc', 'provider:', '  name: aws', '  runtime: python3.11', 'functions:', '  hi:', '    handler: lib/app.hi'),
    'lib/app.py': 'from lib import util\n\ndef hi(event, context):\n    return util.shout(event["word"])\n',
    'lib/util.py': 'def shout(word):\n    return word.upper()\n',
    'lib/__init__.py': '',
  });
  const r = await runGannet(['invoke', dir, '-f', 'hi', '-d', '{"word":"quiet"}']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), 'QUIET');
  assert.equal(existsSync(join(dir, 'lib', '__pycache__')), false, 'no __pycache__ in the code folder');
});
