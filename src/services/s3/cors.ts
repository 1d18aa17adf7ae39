// Bucket CORS: the stored form of PutBucketCors, preflight (OPTIONS) answers and the headers added
// to actual requests from a browser, so presigned-URL uploads from web pages work as on S3.
import { AwsXmlError, malformedXml, xmlChild, xmlList, xmlText, type RestXmlReply, type XmlObject } from '../protocol/rest-xml.ts';
import { invalidRequest } from './errors.ts';

export const CORS_CONFIG_KEY = 'cors';
export const MAX_CORS_RULES = 100;
const CORS_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

export const CORS_XML_ARRAYS: ReadonlySet<string> = new Set(['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader']);

export type CorsRule = {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
};

export type CorsConfig = { version: 1; rules: CorsRule[] };

export function parseCorsConfig(value: unknown): CorsConfig | undefined {
  if (!value || typeof value !== 'object' || (value as { version?: unknown }).version !== 1) return undefined;
  return value as CorsConfig;
}

const texts = (v: XmlObject[string]) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => xmlText(x) ?? '');

export function corsConfigFromXml(doc: XmlObject): CorsConfig {
  const root = xmlChild(doc['CORSConfiguration']);
  if (!root) throw malformedXml();
  const rules = xmlList(root['CORSRule']).map((r): CorsRule => {
    const rule: CorsRule = {
      allowedOrigins: texts(r['AllowedOrigin']),
      allowedMethods: texts(r['AllowedMethod']),
      allowedHeaders: texts(r['AllowedHeader']),
      exposeHeaders: texts(r['ExposeHeader']),
    };
    const id = xmlText(r['ID']);
    if (id) rule.id = id;
    const maxAge = xmlText(r['MaxAgeSeconds']);
    if (maxAge !== undefined) rule.maxAgeSeconds = Number(maxAge);
    if (!rule.allowedOrigins.length || !rule.allowedMethods.length) throw malformedXml();
    for (const m of rule.allowedMethods) {
      if (!CORS_METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    }
    return rule;
  });
  if (!rules.length || rules.length > MAX_CORS_RULES) throw malformedXml();
  return { version: 1, rules };
}

export function corsConfigToXml(cfg: CorsConfig): XmlObject {
  return {
    CORSRule: cfg.rules.map((r) => ({
      ID: r.id, AllowedHeader: r.allowedHeaders, AllowedMethod: r.allowedMethods, AllowedOrigin: r.allowedOrigins,
      ExposeHeader: r.exposeHeaders, MaxAgeSeconds: r.maxAgeSeconds,
    })),
  };
}

/** `*` matches any run of characters (S3 allows one wildcard per pattern). */
function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === value;
  const head = pattern.slice(0, star), tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

function findRule(cfg: CorsConfig, origin: string, method: string, requestHeaders: string[]): CorsRule | undefined {
  return cfg.rules.find((r) => r.allowedOrigins.some((o) => wildcardMatch(o, origin)) && r.allowedMethods.includes(method) &&
    requestHeaders.every((h) => r.allowedHeaders.some((a) => wildcardMatch(a.toLowerCase(), h))));
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string | undefined> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    'access-control-expose-headers': rule.exposeHeaders.length ? rule.exposeHeaders.join(', ') : undefined,
    'access-control-max-age': rule.maxAgeSeconds === undefined ? undefined : String(rule.maxAgeSeconds),
    'access-control-allow-credentials': anyOrigin ? undefined : 'true',
    'vary': 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** Answers an OPTIONS preflight against the bucket's CORS rules (403 CORSResponse when refused). */
export function preflight(cfg: CorsConfig | undefined, origin: string | undefined, method: string | undefined,
  requestHeaders: string | undefined): RestXmlReply {
  if (!origin || !method) {
    throw new AwsXmlError('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  }
  if (!cfg) throw new AwsXmlError('CORSResponse', 403, 'CORS is not enabled for this bucket.');
  const wanted = (requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const rule = findRule(cfg, origin, method, wanted);
  if (!rule) {
    throw new AwsXmlError('CORSResponse', 403,
      'This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.');
  }
  return { status: 200, headers: { ...ruleHeaders(rule, origin), 'access-control-allow-headers': wanted.length ? wanted.join(', ') : undefined } };
}

/** CORS headers for an actual (non-preflight) request from `origin`, or none when no rule allows it. */
export function corsHeaders(cfg: CorsConfig | undefined, origin: string | undefined, method: string): Record<string, string | undefined> {
  if (!cfg || !origin) return {};
  const rule = findRule(cfg, origin, method, []);
  return rule ? ruleHeaders(rule, origin) : {};
}
