// examples/flavorless end to end: Python functions on the real pool behind the REST API, with a
// TOKEN authorizer verifying RS256 tokens (PyJWT) against a test issuer's JWKS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startIssuer } from '../helpers/issuer.ts';
import { startService } from '../helpers/service.ts';

const PYTHON = '/usr/bin/python3';
const dir = fileURLToPath(new URL('../../examples/flavorless', import.meta.url));

function pyjwtSkip(): string | false {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try { execFileSync(PYTHON, ['-c', 'import jwt, cryptography']); return false; } catch {
    return 'PyJWT/cryptography missing for /usr/bin/python3: apt-get install -y python3-jwt python3-cryptography';
  }
}

test('flavorless: public team, protected flavours with 200/401/403 as API Gateway gives them', { skip: pyjwtSkip() }, async (t) => {
  const issuer = await startIssuer(t);
  const svc = await startService(dir, {
    env: { TOKEN_ISSUER: issuer.url, AUDIENCE: 'flavorless', JWKS_URI: issuer.jwksUri },
    pythonPath: PYTHON,
  });
  t.after(() => svc.close());
  const get = async (path: string, token?: string) => {
    const r = await fetch(svc.url + path, { headers: token === undefined ? {} : { authorization: token } });
    return { status: r.status, body: await r.text() };
  };

  const team = await get('/dev/team');
  assert.equal(team.status, 200, team.body);
  assert.deepEqual(JSON.parse(team.body).team.map((p: { name: string }) => p.name), ['ana', 'bruno', 'chioma']);

  const valid = await issuer.sign({ iss: issuer.url, aud: 'flavorless', sub: 'user-7' });
  const ok = await get('/dev/ice-cream/ana', `Bearer ${valid}`);
  assert.equal(ok.status, 200, `${ok.body}\n${svc.logs.join('\n')}`);
  assert.deepEqual(JSON.parse(ok.body), { person: 'ana', flavour: 'pistachio', askedBy: 'user-7' });
  assert.equal((await get('/dev/ice-cream/zoe', `Bearer ${valid}`)).status, 404, 'the function\'s own 404');

  const unauthorized = { status: 401, body: '{"message":"Unauthorized"}' };
  assert.deepEqual(await get('/dev/ice-cream/ana'), unauthorized, 'no token');
  assert.deepEqual(await get('/dev/ice-cream/ana', 'Bearer not a token'), unauthorized, 'fails identityValidationExpression');
  assert.deepEqual(await get('/dev/ice-cream/ana', 'Bearer abc.def.ghi'), unauthorized, 'malformed: the authorizer raises Unauthorized');
  const rogue = await issuer.sign({ iss: issuer.url, aud: 'flavorless', sub: 'x' }, { key: 'rogue' });
  assert.deepEqual(await get('/dev/ice-cream/ana', `Bearer ${rogue}`), unauthorized, 'bad signature');

  const denied = { status: 403, body: '{"message":"User is not authorized to access this resource with an explicit deny"}' };
  assert.deepEqual(await get('/dev/ice-cream/ana', `Bearer ${await issuer.sign({ iss: issuer.url, aud: 'someone-else', sub: 'x' })}`), denied, 'wrong audience');
  const expired = await issuer.sign({ iss: issuer.url, aud: 'flavorless', sub: 'x' }, { exp: Math.floor(Date.now() / 1000) - 120 });
  assert.deepEqual(await get('/dev/ice-cream/ana', `Bearer ${expired}`), denied, 'expired');

  const pre = await fetch(`${svc.url}/dev/team`, { method: 'OPTIONS', headers: { origin: 'https://shop.example' } });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-methods'), 'OPTIONS,GET');
});
