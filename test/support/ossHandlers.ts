/**
 * A fake backend for the dom tests: the app server's `GET /api/getOSSTempAuthor`,
 * `POST /api/attachment-upload-url` (presigned PUT mode) and `PUT /api/attachment-upload-relay` (the
 * relay, which asks for a URL and stores through the same fakes), and an OSS bucket that accepts PostObject
 * form uploads and presigned PUTs, all as msw handlers that record what they received.
 *
 * Defaults are the happy path (a valid 2-minute authorization, `200` from OSS). A test changes one
 * answer with `backend.authorization.once(...)` / `backend.oss.once(...)`, or every later one with
 * `.always(...)`.
 */
import { http, HttpResponse, type DefaultBodyType, type PathParams } from 'msw';
import {
  buildAuthorizationEnvelope,
  buildPresignedPutUrl,
  buildUploadUrlEnvelope,
  FIXTURE_DIR,
  ossErrorXml,
  type EnvelopeOptions,
} from '../../fixtures';
import type { FetchAuthorization } from '../../src/react/ossAuthorizationQuery';
import type { FetchUploadUrl } from '../../src/react/uploadUrlMutation';
import { server } from './mswServer';

/** jsdom's default origin (the page under test). */
export const PAGE_ORIGIN = 'http://localhost:3000';
export const AUTH_PATH = '/api/getOSSTempAuthor';
/** The fake bucket: cross-origin, as real OSS is. */
export const OSS_HOST = 'https://bucket.oss-test.example/';
export const DEFAULT_DIR = FIXTURE_DIR;

/** What the app does in production: `fetch` the backend and hand the `Response` over (its `Date` header feeds the skew correction). */
export const fetchAuthorization: FetchAuthorization = ({ signal }) => fetch(AUTH_PATH, { signal });

/** Presigned PUT mode: the backend's handler around GetAttachmentUploadUrl. */
export const UPLOAD_URL_PATH = '/api/attachment-upload-url';
/** The prefix of the object keys the fake GetAttachmentUploadUrl issues. */
export const PUT_KEY_PREFIX = 'attachments/2025/';

/** The README's recipe: POST the file name, hand the `Response` over. */
export const fetchUploadUrl: FetchUploadUrl = ({ file, signal }) =>
  fetch(UPLOAD_URL_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName: file.name }),
    signal,
  });

/** Presigned PUT through a relay: the backend's `createAttachmentUploadRelayHandler`. */
export const RELAY_PATH = '/api/attachment-upload-relay';
export const uploadRelayUrl = RELAY_PATH;

/** A presigned URL the fake API issued: what the fake bucket checks a PUT against (docs/work-order-api.md §4). */
interface IssuedUploadUrl {
  key: string;
  fileName: string;
  /** `Expires`, unix seconds, server clock. */
  expires: number;
  /** The Content-Type the URL is "signed" for. */
  contentType: string;
}

/** The answer of one upload URL request; `issue` records a URL so the bucket accepts PUTs to it. */
export type UploadUrlResponder = (context: {
  serial: number;
  fileName: string;
  request: Request;
  issue: (options?: { lifetimeSeconds?: number; contentType?: string; serverNow?: number }) => {
    key: string;
    url: string;
    contentType: string;
  };
}) => Response | Promise<Response>;

export interface UploadUrlAnswerOptions {
  /** Seconds from the server's now to `Expires`. Default 900. */
  lifetimeSeconds?: number;
  /** Server clock minus client clock (ms). Default 0. */
  serverClockOffsetMs?: number;
  /** `handler`: our server handler's `{ ObjectKey, PutSignedUrl, ContentType }`; `envelope`: the 2021 API answer itself. Default `handler`. */
  shape?: 'handler' | 'envelope';
  /** The Content-Type the URL is signed for (and that `handler` answers name). Default `application/octet-stream`. */
  contentType?: string;
}

/** 200 with a fresh presigned URL, `Cache-Control: no-store` and a `Date` header (server time). */
export function uploadUrlOk(options: UploadUrlAnswerOptions = {}): UploadUrlResponder {
  return ({ issue }) => {
    const serverNow = Date.now() + (options.serverClockOffsetMs ?? 0);
    const { key, url, contentType } = issue({ lifetimeSeconds: options.lifetimeSeconds, contentType: options.contentType, serverNow });
    const body =
      options.shape === 'envelope' ? buildUploadUrlEnvelope(key, url) : { ObjectKey: key, PutSignedUrl: url, ContentType: contentType };
    return HttpResponse.json(body, { headers: { Date: new Date(serverNow).toUTCString(), 'Cache-Control': 'no-store' } });
  };
}

/** The API refuses: `{ Code, Message, RequestId, Success: false }`, passed through by the handler. */
export function uploadUrlRejected(message: string, code = 'Forbidden.NoPermission'): UploadUrlResponder {
  return () => HttpResponse.json({ Code: code, Message: message, RequestId: 'C4A6D5E9-0000', Success: false });
}

/** A gateway error page: HTML with `status`. */
export function uploadUrlHttpError(status = 500): UploadUrlResponder {
  return () => HttpResponse.html(`<html><body><h1>${status} Internal Server Error</h1></body></html>`, { status });
}

/** The answer of one authorization request; `serial` counts the requests (1-based). */
export type AuthorizationResponder = (context: { serial: number; request: Request }) => Response | Promise<Response>;

export interface AuthorizationAnswerOptions extends Omit<EnvelopeOptions, 'serverNow' | 'serial'> {
  /** The server clock minus the client clock (ms): the `Date` header and `expire` are on the server's clock. Default 0. */
  serverClockOffsetMs?: number;
}

/** 200 with a fresh valid envelope and a `Date` header (server time). */
export function authorizationOk(options: AuthorizationAnswerOptions = {}): AuthorizationResponder {
  return ({ serial }) => {
    const serverNow = Date.now() + (options.serverClockOffsetMs ?? 0);
    return HttpResponse.json(buildAuthorizationEnvelope({ host: OSS_HOST, ...options, serverNow, serial }), {
      headers: { Date: new Date(serverNow).toUTCString() },
    });
  };
}

/** A gateway error page: `500` with HTML. */
export function authorizationHttpError(status = 500): AuthorizationResponder {
  return () => HttpResponse.html(`<html><body><h1>${status} Internal Server Error</h1></body></html>`, { status });
}

/** The backend refuses: `{ success: false, code, message }` (docs/oss-protocol.md §6 error codes). */
export function authorizationRejected(message: string, code = '-121'): AuthorizationResponder {
  return () => HttpResponse.json({ success: false, code, message, data: null });
}

/** 200 whose body is not JSON. */
export function authorizationMalformed(): AuthorizationResponder {
  return () => new HttpResponse('{"success": true, "data": {', { status: 200, headers: { 'Content-Type': 'application/json' } });
}

/** A valid-looking envelope whose `host` is not http(s), e.g. `javascript:alert(1)`. */
export function authorizationWithHost(host: string): AuthorizationResponder {
  return ({ serial }) => HttpResponse.json(buildAuthorizationEnvelope({ serial, host }));
}

/** What the OSS handler received in one upload (a PostObject form, or a presigned PUT). */
export interface ReceivedUpload {
  method: 'POST' | 'PUT';
  url: string;
  /** Form field names in the order they were sent. */
  fieldNames: string[];
  fields: Record<string, string>;
  key: string;
  policy: string;
  accessId: string;
  signature: string;
  file: { name: string; size: number; type: string; bytes: Uint8Array } | null;
  /** Request header names, lower-case (a browser preflights a POST that carries any but the CORS-safelisted ones, docs/oss-protocol.md §5). */
  headerNames: string[];
  /** The request's abort signal: aborted when the client gives up on the upload. */
  signal: AbortSignal;
}

export type OssResponder = (upload: ReceivedUpload, request: Request) => Response | Promise<Response>;

function corsHeaders(request: Request): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': request.headers.get('Origin') ?? PAGE_ORIGIN,
    'Access-Control-Expose-Headers': 'ETag, x-oss-request-id',
    Vary: 'Origin',
  };
}

let requestCounter = 0;
function nextRequestId(): string {
  requestCounter += 1;
  return `65A1B2C3D4E5F60718293A${String(requestCounter).padStart(2, '0')}`;
}

/** `200`, empty body (the form sends `success_action_status=200`, docs/oss-protocol.md §8), with `ETag` and `x-oss-request-id`. */
export function ossOk(): OssResponder {
  return (upload, request) =>
    new HttpResponse(null, {
      status: 200,
      headers: { ...corsHeaders(request), ETag: `"etag-${upload.file?.size ?? 0}"`, 'x-oss-request-id': nextRequestId() },
    });
}

/** An OSS error document (docs/oss-protocol.md §4), `Content-Type: application/xml`. */
export function ossErrorResponse(status: number, code: string, message: string): OssResponder {
  return (_upload, request) => {
    const requestId = nextRequestId();
    return new HttpResponse(ossErrorXml(code, message, requestId), {
      status,
      headers: { ...corsHeaders(request), 'Content-Type': 'application/xml', 'x-oss-request-id': requestId },
    });
  };
}

/** 403 AccessDenied "Invalid according to Policy: Policy expired." (docs/oss-protocol.md §4). */
export const ossPolicyExpired = (): OssResponder => ossErrorResponse(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
/** 403 AccessDenied "Request has expired." (a presigned URL past its Expires, docs/work-order-api.md §4). */
export const ossRequestExpired = (): OssResponder => ossErrorResponse(403, 'AccessDenied', 'Request has expired.');
/** 403 AccessDenied for a permission problem that a retry does not fix. */
export const ossAccessDenied = (): OssResponder =>
  ossErrorResponse(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
/** 500 InternalError: transient. */
export const ossInternalError = (): OssResponder =>
  ossErrorResponse(500, 'InternalError', 'We encountered an internal error. Please try again.');

/** The connection drops (msw's `HttpResponse.error()`): the XHR fires `error`. */
export function ossNetworkError(): OssResponder {
  return () => HttpResponse.error();
}

/**
 * Answers with `then` once `gate` resolves (or the request's signal aborts). msw does not abort the
 * handler's request when the client aborts its XHR, so a test releases the gate itself and then
 * checks that the client ignored the late answer.
 */
export function ossAfter(gate: Promise<unknown>, then: OssResponder = ossOk()): OssResponder {
  return async (upload, request) => {
    await Promise.race([gate, new Promise((resolve) => upload.signal.addEventListener('abort', resolve, { once: true }))]);
    return then(upload, request);
  };
}

/** Holds the request for the rest of the test: for stalls, cancels and unmounts. */
export function ossHang(): OssResponder {
  return ossAfter(new Promise(() => {}));
}

async function readUpload(request: Request): Promise<ReceivedUpload> {
  const form = await request.formData();
  const fieldNames: string[] = [];
  const fields: Record<string, string> = {};
  let file: ReceivedUpload['file'] = null;
  for (const [name, value] of form.entries()) {
    fieldNames.push(name);
    if (typeof value === 'string') {
      fields[name] = value;
    } else {
      file = { name: value.name, size: value.size, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
    }
  }
  return {
    method: 'POST',
    url: request.url,
    fieldNames,
    fields,
    key: fields.key ?? '',
    policy: fields.policy ?? '',
    accessId: fields.OSSAccessKeyId ?? '',
    signature: fields.Signature ?? '',
    file,
    headerNames: [...request.headers.keys()],
    signal: request.signal,
  };
}

class ResponderQueue<R> {
  private readonly pending: R[] = [];
  constructor(private fallback: R) {}

  /** The next answer only (queued after earlier `once`s). */
  once(responder: R): void {
    this.pending.push(responder);
  }

  /** Every later answer (after the queued `once`s). */
  always(responder: R): void {
    this.fallback = responder;
  }

  take(): R {
    return this.pending.shift() ?? this.fallback;
  }
}

export interface FakeBackend {
  authorization: ResponderQueue<AuthorizationResponder>;
  uploadUrl: ResponderQueue<UploadUrlResponder>;
  oss: ResponderQueue<OssResponder>;
  /** Number of `GET /api/getOSSTempAuthor` requests so far. */
  readonly authorizationRequests: number;
  /** The file name of every `POST /api/attachment-upload-url` (or relay) request so far, in arrival order. */
  readonly uploadUrlRequests: readonly string[];
  /** Every PostObject request OSS received, in arrival order (failed ones included). */
  readonly uploads: readonly ReceivedUpload[];
  /**
   * CORS preflights OSS received. msw intercepts the XHR before jsdom's CORS logic, so jsdom never
   * sends one here; `ReceivedUpload.headerNames` shows instead that a browser would not need one.
   */
  readonly preflights: number;
  /** Resolves once OSS has received `count` uploads. */
  uploadReceived(count?: number): Promise<ReceivedUpload>;
}

/**
 * Installs the fake backend on the msw server for the current test (`server.resetHandlers()` after
 * each test removes it) and returns its recorder.
 */
export function useFakeBackend(options: AuthorizationAnswerOptions = {}): FakeBackend {
  const authorization = new ResponderQueue<AuthorizationResponder>(authorizationOk(options));
  const uploadUrl = new ResponderQueue<UploadUrlResponder>(uploadUrlOk({ serverClockOffsetMs: options.serverClockOffsetMs }));
  const oss = new ResponderQueue<OssResponder>(ossOk());
  const uploads: ReceivedUpload[] = [];
  const waiters: Array<{ count: number; resolve: (upload: ReceivedUpload) => void }> = [];
  const uploadUrlRequests: string[] = [];
  const issued = new Map<string, IssuedUploadUrl>();
  let authorizationRequests = 0;
  let preflights = 0;

  /** What the fake GetAttachmentUploadUrl does for one request: records a URL the bucket then accepts. */
  const issueUploadUrl =
    (serial: number, fileName: string) =>
    ({
      lifetimeSeconds = 900,
      contentType = 'application/octet-stream',
      serverNow = Date.now(),
    }: { lifetimeSeconds?: number; contentType?: string; serverNow?: number } = {}) => {
      const key = `${PUT_KEY_PREFIX}${serial}/${fileName}`;
      const expires = Math.floor(serverNow / 1000) + lifetimeSeconds;
      const signature = `test-put-signature-${serial}=`;
      issued.set(signature, { key, fileName, expires, contentType });
      return { key, url: buildPresignedPutUrl({ host: OSS_HOST, key, expires, signature }), contentType };
    };

  const received = (upload: ReceivedUpload) => {
    uploads.push(upload);
    for (const waiter of waiters.filter((entry) => uploads.length >= entry.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(upload);
    }
  };

  server.use(
    http.get<PathParams, DefaultBodyType, undefined>(`${PAGE_ORIGIN}${AUTH_PATH}`, ({ request }) => {
      authorizationRequests += 1;
      return authorization.take()({ serial: authorizationRequests, request });
    }),
    http.options(OSS_HOST, ({ request }) => {
      preflights += 1;
      return new HttpResponse(null, {
        status: 200,
        headers: {
          ...corsHeaders(request),
          'Access-Control-Allow-Methods': 'POST, PUT, GET',
          'Access-Control-Allow-Headers': request.headers.get('Access-Control-Request-Headers') ?? '*',
          'Access-Control-Max-Age': '600',
        },
      });
    }),
    http.post<PathParams, DefaultBodyType, undefined>(OSS_HOST, async ({ request }) => {
      const upload = await readUpload(request);
      received(upload);
      return oss.take()(upload, request);
    }),
    http.post(`${PAGE_ORIGIN}${UPLOAD_URL_PATH}`, async ({ request }) => {
      const { fileName } = (await request.clone().json()) as { fileName: string };
      uploadUrlRequests.push(fileName);
      const serial = uploadUrlRequests.length;
      return uploadUrl.take()({ serial, fileName, request, issue: issueUploadUrl(serial, fileName) });
    }),
    // The relay (createAttachmentUploadRelayHandler): asks the fake API for a URL (the same responders
    // as PUT mode), then "PUTs" the body to the fake bucket and passes its answer on in the relay's JSON.
    http.put(`${PAGE_ORIGIN}${RELAY_PATH}`, async ({ request }) => {
      const url = new URL(request.url);
      const fileName = url.searchParams.get('fileName') ?? '';
      uploadUrlRequests.push(fileName);
      const serial = uploadUrlRequests.length;
      const urlAnswer = await uploadUrl.take()({ serial, fileName, request, issue: issueUploadUrl(serial, fileName) });
      const answered = (await urlAnswer.json().catch(() => ({}))) as Record<string, unknown> & { Data?: Record<string, unknown> };
      const data = answered.Data ?? answered;
      if (!urlAnswer.ok || typeof data.ObjectKey !== 'string') {
        const said = typeof answered.Message === 'string' ? answered.Message : `HTTP ${urlAnswer.status}`;
        return HttpResponse.json(
          { code: 'upstream-error', message: `The Work Order API refused the request: ${said}` },
          { status: 502, headers: { 'Cache-Control': 'no-store' } },
        );
      }
      const bytes = new Uint8Array(await request.arrayBuffer());
      const upload: ReceivedUpload = {
        method: 'PUT',
        url: request.url,
        fieldNames: [],
        fields: {},
        key: data.ObjectKey,
        policy: '',
        accessId: '',
        signature: '',
        file: { name: fileName, size: bytes.byteLength, type: request.headers.get('Content-Type') ?? '', bytes },
        headerNames: [...request.headers.keys()],
        signal: request.signal,
      };
      received(upload);
      const stored = await oss.take()(upload, request);
      if (stored.type === 'error') {
        return HttpResponse.json({ code: 'storage-unreachable', message: 'Storage could not be reached: socket hang up' }, { status: 502 });
      }
      if (stored.ok)
        return HttpResponse.json(
          { ObjectKey: data.ObjectKey, ETag: stored.headers.get('ETag') },
          { headers: { 'Cache-Control': 'no-store' } },
        );
      const xml = await stored.text();
      const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
      return HttpResponse.json(
        {
          code: stored.status >= 500 ? 'storage-error' : 'storage-refused',
          message: `Storage refused the upload (${element('Code') ?? stored.status}).`,
          upstreamCode: element('Code'),
          upstreamMessage: element('Message'),
          requestId: element('RequestId'),
        },
        { status: stored.status >= 500 ? 502 : stored.status },
      );
    }),
    // The bucket's side of a presigned PUT (docs/work-order-api.md §4): the URL must be one the API
    // issued, not past its Expires (server clock), and the Content-Type exactly the one signed.
    http.put(`${OSS_HOST}*`, async ({ request }) => {
      const url = new URL(request.url);
      const grant = issued.get(url.searchParams.get('Signature') ?? '');
      const bytes = new Uint8Array(await request.arrayBuffer());
      const contentType = request.headers.get('Content-Type') ?? '';
      const upload: ReceivedUpload = {
        method: 'PUT',
        url: request.url,
        fieldNames: [],
        fields: {},
        key: decodeURIComponent(url.pathname.slice(1)),
        policy: '',
        accessId: url.searchParams.get('OSSAccessKeyId') ?? '',
        signature: url.searchParams.get('Signature') ?? '',
        file: { name: grant?.fileName ?? '', size: bytes.byteLength, type: contentType, bytes },
        headerNames: [...request.headers.keys()],
        signal: request.signal,
      };
      received(upload);
      const serverNow = Date.now() + (options.serverClockOffsetMs ?? 0);
      if (!grant || grant.key !== upload.key || grant.contentType !== contentType) {
        return ossErrorResponse(
          403,
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided.',
        )(upload, request);
      }
      if (serverNow / 1000 > grant.expires) return ossRequestExpired()(upload, request);
      return oss.take()(upload, request);
    }),
  );

  return {
    authorization,
    uploadUrl,
    oss,
    get authorizationRequests() {
      return authorizationRequests;
    },
    get uploadUrlRequests() {
      return uploadUrlRequests;
    },
    get uploads() {
      return uploads;
    },
    get preflights() {
      return preflights;
    },
    uploadReceived(count = uploads.length + 1) {
      const existing = uploads[count - 1];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** The PostObject field order OSS requires (docs/oss-protocol.md §1): the V1 trio after `key` and `policy`, `file` last. */
export const POST_OBJECT_FIELD_ORDER = [
  'key',
  'policy',
  'OSSAccessKeyId',
  'Signature',
  'success_action_status',
  'Content-Disposition',
  'file',
] as const;
