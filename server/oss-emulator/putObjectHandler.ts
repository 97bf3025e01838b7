import { createHash, randomBytes, type Hash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { verifyPresignedRequest } from './presignedUrl.js';

/** An OSS error answer: status, Code, Message and, where OSS documents one, the EC. */
export interface OssErrorAnswer {
  status: number;
  code: string;
  message: string;
  ec?: string;
}

/** Size and digest of an uploaded body. */
export interface MeasuredBody {
  size: number;
  /** Lower-case hex MD5. */
  md5: string;
  /** Quoted upper-case hex MD5, the ETag OSS gives a simple upload. */
  etag: string;
}

/** What the handler tells the store about an upload. */
export interface PutObjectMeta {
  /** The Content-Type the request sent (the signature covered it), else `application/octet-stream`. */
  contentType: string;
  /** Headers stored with the object and served back on GET (Content-Disposition, x-oss-meta-*, ...). */
  headers: Record<string, string>;
  /** Size and digest of the body; valid once the body stream has ended without an error. */
  measured(): MeasuredBody;
}

/** A stored object as a presigned GET serves it. */
export interface PresignedStoredObject {
  size: number;
  etag: string;
  contentType: string;
  headers: Record<string, string>;
  /** The bytes, opened for this one answer. */
  open(): Readable;
}

/**
 * Where presigned uploads go. `put` must make the object visible only when `body` ends without an
 * error (write to a temporary file, rename into place): the handler errors the stream for a body
 * over the size limit, a Content-MD5 mismatch or a client that went away.
 */
export interface PresignedObjectStore {
  put(key: string, body: Readable, meta: PutObjectMeta): Promise<void>;
  get(key: string): Promise<PresignedStoredObject | undefined> | PresignedStoredObject | undefined;
}

/** What the presigned PUT/GET handler needs from the emulator. */
export interface PresignedObjectDeps {
  bucket: string;
  /** AccessKeySecret of a known AccessKeyId. */
  lookupSecret: (accessKeyId: string) => string | undefined;
  /** When set, every URL must carry this STS token as its signed `security-token`. */
  securityToken?: string;
  /** The emulator's clock in ms (faults may shift it). */
  now: () => number;
  /** Largest body in bytes, enforced while the body streams. */
  maxSize: number;
  store: PresignedObjectStore;
  /** Writes an OSS `<Error>` XML answer (request id and host id filled in), plus extra elements. */
  sendError: (res: ServerResponse, error: OssErrorAnswer, extra?: Record<string, string>) => void;
  /** CORS rule of the bucket: origins whose answers carry Access-Control-* headers. */
  isAllowedOrigin: (origin: string) => boolean;
  /** Default: 24 upper-case hex characters, like OSS request ids. */
  createRequestId?: () => string;
}

/** After an early answer, keep discarding the body this long so the client gets to read the answer. */
const DRAIN_GRACE_MS = 5_000;
/** Object names are 1–1023 bytes and cannot start with "/" or "\" (OSS naming rules). */
const MAX_KEY_BYTES = 1023;
// Request headers a PutObject stores with the object and serves back on GET.
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
// docs/work-order-api.md §4: a signed response-* sub-resource overrides that header of a GET answer.
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
  'response-content-language': 'Content-Language',
  'response-cache-control': 'Cache-Control',
  'response-expires': 'Expires',
};

const putErrors = {
  // Not an OSS limit: a V1 URL cannot carry one. It stands in for the Work Order service's attachment
  // cap [U: how the service enforces it is not documented]; 413 says so, the Code is the one the
  // browser already maps to "too large".
  entityTooLarge: (): OssErrorAnswer => ({
    status: 413,
    code: 'EntityTooLarge',
    message: 'Your proposed upload exceeds the maximum allowed size',
  }),
  invalidDigest: (): OssErrorAnswer => ({ status: 400, code: 'InvalidDigest', message: 'The Content-MD5 you specified is not valid.' }),
  badDigest: (): OssErrorAnswer => ({
    status: 400,
    code: 'InvalidDigest',
    message: 'The Content-MD5 you specified did not match what we received.',
  }),
  invalidObjectName: (): OssErrorAnswer => ({ status: 400, code: 'InvalidObjectName', message: 'The specified object is not valid.' }),
  invalidSecurityToken: (): OssErrorAnswer => ({
    status: 403,
    code: 'InvalidSecurityToken',
    message: 'The security token you provided is invalid.',
  }),
  noSuchKey: (): OssErrorAnswer => ({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' }),
  methodNotAllowed: (): OssErrorAnswer => ({
    status: 405,
    code: 'MethodNotAllowed',
    message: 'The specified method is not allowed against this resource.',
  }),
  internalError: (): OssErrorAnswer => ({
    status: 500,
    code: 'InternalError',
    message: 'We encountered an internal error. Please try again.',
  }),
} as const;

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
}

class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

/** Counts and hashes the body on its way to the store, failing it past the limit or on a bad Content-MD5. */
class BodyMeter extends Transform {
  size = 0;
  readonly #md5: Hash = createHash('md5');
  #measured: MeasuredBody | undefined;

  constructor(
    private readonly maxSize: number,
    private readonly declaredMd5: string | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    // Fail as soon as the limit is passed, not at the end of the body.
    if (this.size > this.maxSize) {
      callback(new BodyTooLargeError());
      return;
    }
    this.#md5.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const digest = this.#md5.digest();
    if (this.declaredMd5 !== undefined && digest.toString('base64') !== this.declaredMd5) {
      callback(new DigestMismatchError());
      return;
    }
    const md5 = digest.toString('hex');
    this.#measured = { size: this.size, md5, etag: `"${md5.toUpperCase()}"` };
    callback();
  }

  measured(): MeasuredBody {
    if (this.#measured === undefined) throw new Error('The body has not ended yet');
    return this.#measured;
  }
}

function createOssRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Answers carry CORS headers when the bucket's rule allows the Origin (ETag exposed for the uploader). */
function applyCors(req: IncomingMessage, res: ServerResponse, deps: PresignedObjectDeps): void {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '' || !deps.isAllowedOrigin(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, x-oss-request-id');
}

function isValidKey(key: string): boolean {
  const bytes = Buffer.byteLength(key);
  return bytes >= 1 && bytes <= MAX_KEY_BYTES && !key.startsWith('/') && !key.startsWith('\\');
}

/** Lets the client finish sending for a while after an early answer, then cuts the connection. */
function drainThenCut(req: IncomingMessage): void {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, DRAIN_GRACE_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
}

function answerError(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PresignedObjectDeps,
  error: OssErrorAnswer,
  extra?: Record<string, string>,
): void {
  if (!res.headersSent && !res.destroyed) deps.sendError(res, error, extra);
  drainThenCut(req);
}

/** Verifies the URL's signature and token; answers the error and returns undefined when refused. */
function authorize(req: IncomingMessage, res: ServerResponse, deps: PresignedObjectDeps, method: string) {
  const verification = verifyPresignedRequest({
    method,
    url: req.url ?? '/',
    headers: req.headers,
    now: deps.now(),
    lookupSecret: deps.lookupSecret,
    bucket: deps.bucket,
  });
  if (!verification.ok) {
    const { status, code, message, extra } = verification.error;
    answerError(req, res, deps, { status, code, message }, extra);
    return undefined;
  }
  if (deps.securityToken !== undefined && verification.securityToken !== deps.securityToken) {
    answerError(req, res, deps, putErrors.invalidSecurityToken());
    return undefined;
  }
  if (!isValidKey(verification.key)) {
    answerError(req, res, deps, putErrors.invalidObjectName());
    return undefined;
  }
  return verification;
}

function prepare(req: IncomingMessage, res: ServerResponse, deps: PresignedObjectDeps): void {
  res.setHeader('x-oss-request-id', (deps.createRequestId ?? createOssRequestId)());
  applyCors(req, res, deps);
}

/**
 * `PUT /<key>?Expires&OSSAccessKeyId&Signature` (docs/work-order-api.md §4): checks the presigned
 * URL against the emulator's clock, streams the body through a size limit and MD5 into the store,
 * and answers 200 with the ETag. Resolves once the request is answered.
 */
export async function handlePutObject(req: IncomingMessage, res: ServerResponse, deps: PresignedObjectDeps): Promise<void> {
  prepare(req, res, deps);
  if (req.method !== 'PUT') {
    answerError(req, res, deps, putErrors.methodNotAllowed());
    return;
  }
  const verification = authorize(req, res, deps, 'PUT');
  if (verification === undefined) return;
  const declaredLength = Number(singleHeader(req, 'content-length'));
  // A declared length over the limit is refused before a byte is read.
  if (Number.isFinite(declaredLength) && declaredLength > deps.maxSize) {
    answerError(req, res, deps, putErrors.entityTooLarge());
    return;
  }
  const declaredMd5 = singleHeader(req, 'content-md5');
  if (declaredMd5 !== undefined && Buffer.from(declaredMd5, 'base64').length !== 16) {
    answerError(req, res, deps, putErrors.invalidDigest());
    return;
  }
  // The client went away already (e.g. during the latency fault): its 'close' has fired, and a
  // destroyed request never ends a pipe, so the store would wait forever. Nobody reads an answer.
  if (req.destroyed) return;
  const meter = new BodyMeter(deps.maxSize, declaredMd5);
  // A client that goes away mid-body must fail the stream, or the store would commit a partial object.
  const onClose = (): void => {
    if (!req.complete) meter.destroy(new ClientGoneError());
  };
  req.once('close', onClose);
  req.once('error', onClose);
  meter.once('error', () => req.unpipe(meter));
  req.pipe(meter);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (STORED_HEADERS.includes(name) || name.startsWith('x-oss-meta-')) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  try {
    await deps.store.put(verification.key, meter, {
      contentType: singleHeader(req, 'content-type') ?? 'application/octet-stream',
      headers,
      measured: () => meter.measured(),
    });
  } catch (error) {
    if (error instanceof ClientGoneError || meter.errored instanceof ClientGoneError) return;
    if (error instanceof BodyTooLargeError || meter.errored instanceof BodyTooLargeError) {
      answerError(req, res, deps, putErrors.entityTooLarge());
    } else if (error instanceof DigestMismatchError || meter.errored instanceof DigestMismatchError) {
      answerError(req, res, deps, putErrors.badDigest());
    } else {
      answerError(req, res, deps, putErrors.internalError());
    }
    return;
  } finally {
    req.off('close', onClose);
    req.off('error', onClose);
  }
  const { md5, etag } = meter.measured();
  res.writeHead(200, {
    ETag: etag,
    'Content-MD5': Buffer.from(md5, 'hex').toString('base64'),
    'Content-Length': '0',
  });
  res.end();
}

/**
 * `GET` / `HEAD /<key>?Expires&OSSAccessKeyId&Signature`: the download link (`GetSignedUrl`), with the
 * signed `response-*` overrides applied. Resolves once the answer is sent.
 */
export async function handlePresignedGetObject(req: IncomingMessage, res: ServerResponse, deps: PresignedObjectDeps): Promise<void> {
  prepare(req, res, deps);
  const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    answerError(req, res, deps, putErrors.methodNotAllowed());
    return;
  }
  const verification = authorize(req, res, deps, method);
  if (verification === undefined) return;
  const object = await deps.store.get(verification.key);
  if (object === undefined) {
    answerError(req, res, deps, putErrors.noSuchKey());
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(object.headers)) {
    if (STORED_HEADERS.includes(name.toLowerCase()) || name.toLowerCase().startsWith('x-oss-meta-')) headers[name] = value;
  }
  headers['Content-Type'] = object.contentType;
  for (const [parameter, value] of Object.entries(verification.responseOverrides)) {
    const header = RESPONSE_OVERRIDES[parameter];
    if (header === undefined) continue;
    for (const name of Object.keys(headers)) if (name.toLowerCase() === header.toLowerCase()) delete headers[name];
    headers[header] = value;
  }
  res.writeHead(200, { ...headers, ETag: object.etag, 'Content-Length': String(object.size) });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const body = object.open();
  await new Promise<void>((resolve) => {
    body.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}
