// examples/flavorless-ts end to end: TypeScript functions on the real pool behind an HTTP API with
// a JWT authorizer reading a test issuer's discovery document and JWKS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startIssuer } from '../helpers/issuer.ts';
import { startService } from '../helpers/service.ts';

const dir = fileURLToPath(new URL('../../examples/flavorless-ts', import.meta.url));

test('flavorless-ts: public team, JWT-protected flavours with 200/401/403', async (t) => {
  const issuer = await startIssuer(t);
  const svc = await startService(dir, { env: { TOKEN_ISSUER: issuer.url, AUDIENCE: 'flavorless' } });
  t.after(() => svc.close());
  const get = async (path: string, token?: string) => {
    const r = await fetch(svc.url + path, { headers: token === undefined ? {} : { authorization: token } });
    return { status: r.status, body: await r.text(), www: r.headers.get('www-authenticate') };
  };

  const team = await get('/team');
  assert.equal(team.status, 200, `${team.body}\n${svc.logs.join('\n')}`);
  assert.equal(JSON.parse(team.body).team.length, 3);

  const valid = await issuer.sign({ iss: issuer.url, aud: 'flavorless', sub: 'user-7', scope: 'flavours:read' });
  const ok = await get('/ice-cream/bruno', `Bearer ${valid}`);
  assert.equal(ok.status, 200, `${ok.body}\n${svc.logs.join('\n')}`);
  assert.deepEqual(JSON.parse(ok.body), { person: 'bruno', flavour: 'stracciatella', askedBy: 'user-7' });

  assert.equal((await get('/ice-cream/bruno')).status, 401, 'no token');
  const malformed = await get('/ice-cream/bruno', 'Bearer abc.def.ghi');
  assert.equal(malformed.status, 401);
  assert.match(malformed.www ?? '', /error="invalid_token"/);
  const wrongAudience = await get('/ice-cream/bruno', `Bearer ${await issuer.sign({ iss: issuer.url, aud: 'other', scope: 'flavours:read' })}`);
  assert.equal(wrongAudience.status, 401);
  assert.equal(wrongAudience.www, 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');
  const expired = await issuer.sign({ iss: issuer.url, aud: 'flavorless', scope: 'flavours:read' }, { exp: Math.floor(Date.now() / 1000) - 120 });
  assert.equal((await get('/ice-cream/bruno', `Bearer ${expired}`)).status, 401, 'expired');
  const noScope = await get('/ice-cream/bruno', `Bearer ${await issuer.sign({ iss: issuer.url, aud: 'flavorless', scope: 'profile' })}`);
  assert.deepEqual({ status: noScope.status, body: noScope.body }, { status: 403, body: '{"message":"Forbidden"}' }, 'missing scope');
});
