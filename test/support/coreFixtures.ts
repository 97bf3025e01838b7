/**
 * Shared builders for the core tests (test/core). Plain data and real core functions only: nothing
 * here mocks a module of ours, it just saves each test from spelling out a whole authorization.
 */
import { encodeOssPolicy, type OssPolicyCondition } from '../../src/core/decodeOssPolicy';
import { parseOssAuthorization, type OssAuthorization } from '../../src/core/parseOssAuthorization';

/** The getOSSTempAuthor example envelope, verbatim from the docs (ref §6, S21). Its policy decodes to prefix `pop_temp26842/`. */
export const DOCS_EXAMPLE_ENVELOPE = {
  message: 'successful',
  data: {
    expire: '1573129988',
    host: 'http://work-order.oss-cn-hangzhou.aliyuncs.com/',
    dir: 'pop_temp26842/',
    policy:
      'eyJleHBpcmF0aW9uIjoiMjAxOS0xMS0wN1QxMjozMzowOC40NzFaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMjA5NzE1Ml0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJwb3BfdGVtcDI2ODQyLyJdXX0=',
    accessId: 'LTA******54r3',
    signature: '5be4*********37AE=',
  },
  code: '200',
  success: true,
} as const;

/** What the docs' example policy decodes to (ref §6 "Validity and limits"). */
export const DOCS_EXAMPLE_POLICY_JSON =
  '{"expiration":"2019-11-07T12:33:08.471Z","conditions":[["content-length-range",0,2097152],["starts-with","$key","pop_temp26842/"]]}';

/** A fixed client "now" on a whole second, so `expire` (unix seconds) lines up exactly. */
export const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

export interface PolicyOptions {
  /** ISO 8601 expiration. Default: one hour after T0. */
  expiration?: string;
  /** `content-length-range`; `null` leaves the condition out. Default [0, 2097152]. */
  range?: readonly [number, number] | null;
  /** `starts-with $key` prefix; `null` leaves the condition out. Default `pop_temp123/`. */
  prefix?: string | null;
  /** Extra conditions appended after the standard ones. */
  extra?: OssPolicyCondition[];
}

/** A base64 policy built the way the backend (ali-oss `policy2Str`) builds it (ref §2, §7). */
export function makePolicy(options: PolicyOptions = {}): string {
  const conditions: OssPolicyCondition[] = [{ bucket: 'work-order' }];
  const range = options.range === undefined ? ([0, 2_097_152] as const) : options.range;
  if (range !== null) conditions.push(['content-length-range', range[0], range[1]]);
  const prefix = options.prefix === undefined ? 'pop_temp123/' : options.prefix;
  if (prefix !== null) conditions.push(['starts-with', '$key', prefix]);
  conditions.push(...(options.extra ?? []));
  return encodeOssPolicy({ expiration: options.expiration ?? new Date(T0 + 3_600_000).toISOString(), conditions });
}

/** A valid bare `data` object (ref §6) whose policy prefix matches its dir; override any field. */
export function makeRawAuthorization(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accessId: 'LTAI5tExampleAccessId',
    policy: makePolicy(),
    signature: 'c2lnbmF0dXJlLWJ5dGVz',
    dir: 'pop_temp123/',
    host: 'https://work-order.oss-cn-hangzhou.aliyuncs.com/',
    expire: String(Math.floor((T0 + 120_000) / 1000)),
    ...overrides,
  };
}

export interface AuthorizationOptions {
  /** Client clock at arrival (ms). Default T0. */
  receivedAt?: number;
  /** Server clock at arrival (ms); `null` = no `Date` header. Default: equal to `receivedAt` (a correct client clock). */
  serverNow?: number | null;
  /** Lifetime on the server's clock, from `serverNow` (or `receivedAt` without a server date). Default 120 s. */
  lifetimeMs?: number;
  dir?: string;
  host?: string;
  range?: readonly [number, number] | null;
  securityToken?: string;
}

/**
 * A parsed authorization built through the real `parseOssAuthorization`, with `expire` placed
 * `lifetimeMs` after the server's clock. `serverNow` (when given) becomes the `Date` header.
 */
export function makeAuthorization(options: AuthorizationOptions = {}): OssAuthorization {
  const receivedAt = options.receivedAt ?? T0;
  const serverNow = options.serverNow === undefined ? receivedAt : options.serverNow;
  const base = serverNow ?? receivedAt;
  const expiresAt = base + (options.lifetimeMs ?? 120_000);
  const dir = options.dir ?? 'pop_temp123/';
  const raw = makeRawAuthorization({
    dir,
    policy: makePolicy({ prefix: dir.endsWith('/') ? dir : `${dir}/`, range: options.range, expiration: new Date(expiresAt).toISOString() }),
    expire: String(expiresAt / 1000),
    ...(options.host ? { host: options.host } : {}),
    ...(options.securityToken ? { securityToken: options.securityToken } : {}),
  });
  return parseOssAuthorization(raw, {
    receivedAt,
    serverDate: serverNow === null ? null : new Date(serverNow).toUTCString(),
  });
}

/** A real `File` (Node 20 has one) of `size` zero bytes. */
export function makeFile(name: string, size: number, type = 'application/octet-stream'): File {
  return new File([new Uint8Array(size)], name, { type });
}

/** An OSS `<Error>` document as OSS sends it (ref §4 "Error body"). */
export function ossErrorXml(code: string, message: string, requestId = '5C3D9175B6FC201293AD4890', extra = ''): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Error>',
    `  <Code>${code}</Code>`,
    `  <Message>${message}</Message>`,
    `  <RequestId>${requestId}</RequestId>`,
    '  <HostId>work-order.oss-cn-hangzhou.aliyuncs.com</HostId>',
    extra,
    '  <EC>0002-00000701</EC>',
    '  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0002-00000701</RecommendDoc>',
    '</Error>',
  ].join('\n');
}

export interface OssErrorCase {
  name: string;
  status: number;
  ossCode: string;
  /** Message as it appears in the XML (entities escaped). */
  xmlMessage: string;
  /** Message after XML decoding. */
  message: string;
  expected: string;
  extra?: string;
}

/** Every error of the PostObject flow listed in ref §4 "Codes for this flow", with the code we map it to. */
export const OSS_ERROR_CASES: readonly OssErrorCase[] = [
  {
    name: "maps AccessDenied 'Policy expired.' to policy-expired",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'Invalid according to Policy: Policy expired.',
    message: 'Invalid according to Policy: Policy expired.',
    expected: 'policy-expired',
  },
  {
    name: "maps AccessDenied 'Policy Condition failed' to policy-condition-failed",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;user/eric/&quot;]',
    message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/eric/"]',
    expected: 'policy-condition-failed',
  },
  {
    name: 'maps SignatureDoesNotMatch to signature-mismatch',
    status: 403,
    ossCode: 'SignatureDoesNotMatch',
    xmlMessage: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    expected: 'signature-mismatch',
    extra: '  <SignatureProvided>5be4*********37AE=</SignatureProvided>\n  <StringToSign>eyJleHBpcmF0aW9uIjoi</StringToSign>\n  <OSSAccessKeyId>LTA******54r3</OSSAccessKeyId>',
  },
  {
    name: "maps AccessDenied 'SignatureDoesNotMatch …' (troubleshooting-table form) to signature-mismatch",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'SignatureDoesNotMatch The request signature we calculated does not match the signature you provided.',
    message: 'SignatureDoesNotMatch The request signature we calculated does not match the signature you provided.',
    expected: 'signature-mismatch',
  },
  {
    name: 'maps InvalidAccessKeyId to invalid-access-key',
    status: 403,
    ossCode: 'InvalidAccessKeyId',
    xmlMessage: 'The OSS Access Key Id you provided does not exist in our records.',
    message: 'The OSS Access Key Id you provided does not exist in our records.',
    expected: 'invalid-access-key',
  },
  {
    name: 'maps EntityTooLarge to entity-too-large',
    status: 400,
    ossCode: 'EntityTooLarge',
    xmlMessage: 'Your proposed upload exceeds the maximum allowed size.',
    message: 'Your proposed upload exceeds the maximum allowed size.',
    expected: 'entity-too-large',
  },
  {
    name: 'maps EntityTooSmall to entity-too-small',
    status: 400,
    ossCode: 'EntityTooSmall',
    xmlMessage: 'Your proposed upload is smaller than the minimum allowed size.',
    message: 'Your proposed upload is smaller than the minimum allowed size.',
    expected: 'entity-too-small',
  },
  {
    name: "maps AccessDenied 'because of bucket acl' to access-denied",
    status: 403,
    ossCode: 'AccessDenied',
    xmlMessage: 'You have no right to access this object because of bucket acl.',
    message: 'You have no right to access this object because of bucket acl.',
    expected: 'access-denied',
  },
  {
    name: 'maps InvalidPolicyDocument to oss-error',
    status: 400,
    ossCode: 'InvalidPolicyDocument',
    xmlMessage: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    message: 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    expected: 'oss-error',
  },
  {
    name: 'maps MalformedPOSTRequest to oss-error',
    status: 400,
    ossCode: 'MalformedPOSTRequest',
    xmlMessage: 'The body of your POST request is not well-formed multipart/form-data.',
    message: 'The body of your POST request is not well-formed multipart/form-data.',
    expected: 'oss-error',
  },
];

/** A gateway's HTML error page: not an OSS document (ref §4: "Non-XML bodies … still give a clear error"). */
export const NGINX_502_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Collects a promise's outcome right away, so a rejection is never "unhandled" while a test is still driving events. */
export function capture<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}
