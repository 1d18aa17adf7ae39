// The optional authentication step of the endpoint chain (`gannet server`): the request's SigV4
// signature must verify with the secret Gannet holds for its access key id. `gannet dev` leaves it
// off and accepts any credentials, as LocalStack does. Failures carry each client's own error codes.
import type { IncomingMessage } from 'node:http';
import { verifySignature } from './sigv4.ts';
import { readAndReplay, type Identification } from './identify.ts';

/** The secret access key for an access key id, or undefined when the key is unknown. */
export type SecretLookup = (accessKeyId: string) => string | undefined;

export type AuthFailure = { status: number; code: string; message: string };

type Codes = { unknownKey: string; mismatch: string; expired: string; unsigned: string; unsignedMessage: string };

// S3 answers anonymous requests AccessDenied (objects may be public there; not in Gannet).
const S3_CODES: Codes = { unknownKey: 'InvalidAccessKeyId', mismatch: 'SignatureDoesNotMatch', expired: 'RequestTimeTooSkewed', unsigned: 'AccessDenied', unsignedMessage: 'Access Denied' };
const REST_JSON_CODES: Codes = { unknownKey: 'UnrecognizedClientException', mismatch: 'InvalidSignatureException', expired: 'InvalidSignatureException', unsigned: 'MissingAuthenticationTokenException', unsignedMessage: 'Missing Authentication Token' };
const QUERY_JSON_CODES: Codes = { unknownKey: 'InvalidClientTokenId', mismatch: 'SignatureDoesNotMatch', expired: 'SignatureDoesNotMatch', unsigned: 'MissingAuthenticationToken', unsignedMessage: 'Request is missing Authentication Token' };

function codesFor(service: string): Codes {
  if (service === 's3') return S3_CODES;
  if (service === 'lambda') return REST_JSON_CODES;
  return QUERY_JSON_CODES;
}

export type Authenticated = { ok: true; req: IncomingMessage } | { ok: false; failure: AuthFailure };

/**
 * Verifies the request of `id`. When the payload hash must be computed (no x-amz-content-sha256
 * header: every service but S3), the body is read and the returned request replays it.
 */
export async function authenticate(id: Identification, secretFor: SecretLookup, now: number): Promise<Authenticated> {
  const codes = codesFor(id.service);
  if (!id.auth) return { ok: false, failure: { status: 403, code: codes.unsigned, message: codes.unsignedMessage } };
  const secret = secretFor(id.auth.accessKeyId);
  if (secret === undefined) {
    return { ok: false, failure: { status: 403, code: codes.unknownKey, message: id.service === 's3'
      ? 'The AWS Access Key Id you provided does not exist in our records.'
      : 'The security token included in the request is invalid.' } };
  }
  let req = id.req;
  let body: Buffer | undefined;
  // S3 declares its payload hash in a header (and checks the body against it while storing it).
  if (!id.auth.presigned && req.headers['x-amz-content-sha256'] === undefined) {
    ({ body, replay: req } = await readAndReplay(req));
  }
  const check = verifySignature(req, body, secret, now);
  if (check.ok) return { ok: true, req };
  switch (check.reason) {
    case 'expired':
      return { ok: false, failure: { status: 403, code: codes.expired, message: id.service === 's3'
        ? `The difference between the request time and the current time is too large. ${check.message}`
        : check.message } };
    case 'unsigned':
      return { ok: false, failure: { status: 403, code: codes.unsigned, message: codes.unsignedMessage } };
    default:
      return { ok: false, failure: { status: 403, code: codes.mismatch, message: check.message } };
  }
}
