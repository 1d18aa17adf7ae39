// A small OpenID issuer for tests: serves a discovery document and a JWKS over HTTP on a free port,
// and mints RS256 tokens with jose (or with a key the JWKS does not list).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export type Issuer = {
  url: string;
  jwksUri: string;
  /** Every path requested, in order. */
  requests: string[];
  sign(claims: JWTPayload, opts?: { key?: 'main' | 'rogue'; exp?: string | number }): Promise<string>;
};

export async function startIssuer(t: TestContext): Promise<Issuer> {
  const main = await generateKeyPair('RS256');
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(main.publicKey)), kid: 'main', alg: 'RS256', use: 'sig' };
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url!);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks.json` }));
    else if (req.url === '/jwks.json') res.end(JSON.stringify({ keys: [jwk] }));
    else { res.statusCode = 404; res.end('{}'); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, jwksUri: `${url}/jwks.json`, requests,
    // The rogue key signs with the same kid: the signature, not the key lookup, must fail.
    sign: (claims, opts = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'main', typ: 'JWT' }).setIssuedAt()
      .setExpirationTime(opts.exp ?? '5m').sign(opts.key === 'rogue' ? rogue.privateKey : main.privateKey),
  };
}
