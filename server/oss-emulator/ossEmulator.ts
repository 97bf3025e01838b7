import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControlRequest } from './controlApi.js';
import { applyCorsHeaders, createOriginMatcher, DEFAULT_CORS_ORIGINS, evaluatePreflight } from './corsRules.js';
import { FaultInjector } from './faults.js';
import { closeHttpServer } from '../local-stack/closeHttpServer.js';
import { listenOnLoopback } from '../local-stack/listenOnLoopback.js';
import { ObjectStore } from './objectStore.js';
import { ossErrors, type OssError } from './ossErrors.js';
import { sendOssError } from './ossResponses.js';
import { toStandardRegion } from '../signer/ossPostPolicySigner.js';
import { handlePostObject, type PostObjectDeps } from './postObjectHandler.js';
import { createPresignedObjectStore, type PutBodyFaults } from './presignedObjectStore.js';
import { handlePresignedGetObject, handlePutObject, type OssErrorAnswer, type PresignedObjectDeps } from './putObjectHandler.js';
import { RequestLog, type PostObjectFault, type PostObjectLogEntry } from './requestLog.js';

/** What decided a presigned PUT's answer, for its request log entry. */
interface PutOutcome {
  fault?: PostObjectFault;
  /** OSS error Code of an error answer. */
  code?: string;
}

/** Default credentials of the emulated bucket; tests and the demo sign with these. */
export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tLocalOssEmulator';
export const DEFAULT_ACCESS_KEY_SECRET = 'local-oss-emulator-secret';
/** The bucket of the getOSSTempAuthor docs' host (docs/oss-protocol.md §6). */
export const DEFAULT_BUCKET = 'work-order';
export const DEFAULT_REGION = 'cn-hangzhou';
/**
 * Largest presigned PUT body: a V1 URL cannot carry a size limit, so the emulator stands in for the
 * Work Order service's 2 MB attachment cap (docs/work-order-api.md §4).
 */
export const DEFAULT_MAX_PUT_SIZE = 2 * 1024 * 1024;

/** Options of {@link startOssEmulator}. */
export interface OssEmulatorOptions {
  /** Port on 127.0.0.1; 0 = a free port. Default: 0. */
  port?: number;
  /** When the port is taken, listen on a free one instead of failing. Default: false. */
  fallbackPort?: boolean;
  /** Default: {@link DEFAULT_ACCESS_KEY_ID}. */
  accessKeyId?: string;
  /** Default: {@link DEFAULT_ACCESS_KEY_SECRET}. */
  accessKeySecret?: string;
  /** Default: {@link DEFAULT_BUCKET}. */
  bucket?: string;
  /** Region of the V4 signing scope. Default: `'cn-hangzhou'`. */
  region?: string;
  /** Where objects are stored. Default: a fresh temporary folder, removed on close(). */
  dataDir?: string;
  /** When set, every PostObject must carry this STS `x-oss-security-token` (docs/oss-protocol.md §1). Default: none. */
  securityToken?: string;
  /** CORS rule origins, at most one `*` each (docs/oss-protocol.md §5). Default: any port on 127.0.0.1 and localhost. */
  corsOrigins?: string[];
  /** Base clock in ms; the clockOffsetMs fault is added to it. Default: Date.now. */
  now?: () => number;
  /** Largest presigned PUT body in bytes, enforced while it streams. Default: {@link DEFAULT_MAX_PUT_SIZE}. */
  maxPutSize?: number;
}

/** A running emulator. */
export interface OssEmulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  bucket: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  dataDir: string;
  close(): Promise<void>;
}

/** docs/oss-protocol.md §4: OSS request ids are 24 upper-case hex characters. */
function createRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

function decodeKey(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname.slice(1));
  } catch {
    return undefined;
  }
}

/**
 * Starts the local OSS PostObject emulator on 127.0.0.1 (issue 3): PostObject with V1/V4/STS
 * checks, CORS, GET of stored objects, and the `/__control/` API with fault injection.
 */
export async function startOssEmulator(options: OssEmulatorOptions = {}): Promise<OssEmulator> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'oss-emulator-')));
  const store = await ObjectStore.open(dataDir);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const baseNow = options.now ?? Date.now;
  const clock = (): number => baseNow() + faults.clockOffsetMs;
  const isAllowedOrigin = createOriginMatcher(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const bucket = options.bucket ?? DEFAULT_BUCKET;
  const credentials = {
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    region: toStandardRegion(options.region ?? DEFAULT_REGION),
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
  };
  // Uploads still being read: close() waits for them, so no temp file is left half-written.
  const inFlight = new Set<Promise<void>>();
  const trackUpload = async (upload: Promise<void>): Promise<void> => {
    inFlight.add(upload);
    try {
      await upload;
    } finally {
      inFlight.delete(upload);
    }
  };
  let baseUrl = '';

  const sendError = (req: IncomingMessage, res: ServerResponse, error: OssError, extra?: Record<string, string>): void =>
    sendOssError(req, res, error, baseUrl.replace(/^http:\/\//, ''), extra);

  const serveObject = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const latencyMs = faults.drawLatencyMs();
    if (latencyMs > 0) await sleep(latencyMs);
    const key = decodeKey(pathname);
    if (key === undefined) return sendError(req, res, ossErrors.invalidUri());
    const object = store.get(key);
    if (object === undefined) return sendError(req, res, ossErrors.noSuchKey());
    const headers: Record<string, string | number> = {
      ...object.headers,
      'Content-Type': object.contentType,
      ETag: object.etag,
      'Last-Modified': new Date(object.storedAt).toUTCString(),
      'x-oss-object-type': 'Normal',
    };
    delete headers['x-oss-object-acl'];
    if (req.headers['if-none-match'] === object.etag) {
      res.writeHead(304, { ETag: object.etag }).end();
      return;
    }
    headers['Content-Length'] = object.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(store.contentPath(key)), res).catch(() => res.destroy());
  };

  const postObjectDeps = (): PostObjectDeps => ({
    bucket,
    credentials,
    store,
    faults,
    log,
    clock,
    baseUrl,
    sendError: (res, error) => sendError(res.req, res, error),
  });

  const presignedDeps = (requestId: string, putFaults?: PutBodyFaults, outcome?: PutOutcome): PresignedObjectDeps => ({
    bucket,
    lookupSecret: (accessKeyId) => (accessKeyId === credentials.accessKeyId ? credentials.accessKeySecret : undefined),
    ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
    now: clock,
    maxSize: options.maxPutSize ?? DEFAULT_MAX_PUT_SIZE,
    store: createPresignedObjectStore(store, clock, putFaults),
    sendError: (res, error: OssErrorAnswer, extra) => {
      if (outcome !== undefined) outcome.code = error.code;
      sendError(res.req, res, error, extra);
    },
    isAllowedOrigin,
    createRequestId: () => requestId,
  });

  /** A presigned PUT with the emulator's faults: latency, injected 5xx, drops, bandwidth, forced expiry. */
  const putObject = async (req: IncomingMessage, res: ServerResponse, requestId: string, outcome: PutOutcome): Promise<void> => {
    const key = decodeKey(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const planned = faults.planPostObject();
    const plan = key === undefined ? planned : faults.admit(planned, key);
    if (plan.failure) outcome.fault = 'failure';
    else if (plan.forcePolicyExpired) outcome.fault = 'forced-policy-expired';
    else if (plan.drop) outcome.fault = 'drop';
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.failure || plan.forcePolicyExpired) {
      // Like PostObject: an injected failure still reads the whole body (the client sees progress).
      if (plan.failure) {
        try {
          for await (const chunk of req) void chunk;
        } catch {
          return; // The client went away: nobody reads an answer.
        }
      } else req.resume();
      if (res.destroyed) return;
      if (plan.failure) {
        const injected = ossErrors.injectedFailure(faults.current.failureStatus);
        outcome.code = injected.code;
        return sendError(req, res, injected);
      }
      outcome.code = 'AccessDenied';
      // docs/work-order-api.md §4: what OSS answers a URL past its Expires.
      return sendError(req, res, { status: 403, code: 'AccessDenied', message: 'Request has expired.' });
    }
    await handlePutObject(req, res, presignedDeps(requestId, { faults, drop: plan.drop, req }, outcome));
  };

  /** {@link putObject}, listed in the request log as a PostObject is (the soak and the bench read it). */
  const loggedPutObject = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const receivedAt = clock();
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const expires = Number(searchParams.get('Expires'));
    const outcome: PutOutcome = {};
    let bytesReceived = 0;
    const count = (chunk: Buffer): void => {
      bytesReceived += chunk.length;
    };
    // A second 'data' listener beside the handler's consumer sees every chunk. Paused first, so the
    // listener does not start the flow itself: bytes would be lost before the handler pipes the
    // body (after the latency fault); the handler's pipe or resume starts it.
    req.pause();
    req.on('data', count);
    try {
      await putObject(req, res, requestId, outcome);
    } finally {
      req.off('data', count);
      // 0 when no answer went out whole (a dropped connection, a client that went away).
      const status = res.headersSent && res.writableFinished ? res.statusCode : 0;
      const entry: PostObjectLogEntry = {
        requestId,
        method: 'PUT',
        status,
        receivedAt,
        finishedAt: clock(),
        bytesReceived,
        policyExpiredAtReceipt: Number.isFinite(expires) && expires > 0 && expires * 1000 <= receivedAt,
      };
      const key = decodeKey(pathname);
      if (key !== undefined) entry.key = key;
      if (status !== 200 && outcome.code !== undefined) entry.code = outcome.code;
      // A planned drop only counts when it cut the request (an empty body has nothing to cut).
      if (outcome.fault !== undefined && (outcome.fault !== 'drop' || status === 0)) entry.fault = outcome.fault;
      log.add(entry);
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = createRequestId();
    // docs/oss-protocol.md §4: every answer carries x-oss-request-id.
    res.setHeader('x-oss-request-id', requestId);
    res.setHeader('Server', 'AliyunOSS');
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';

    if (method === 'OPTIONS') {
      const preflight = evaluatePreflight(req, isAllowedOrigin);
      if (!preflight.ok) return sendError(req, res, preflight.error);
      res.writeHead(200, { ...preflight.value, 'Content-Length': 0 }).end();
      return;
    }
    applyCorsHeaders(req, res, isAllowedOrigin);
    if (pathname.startsWith('/__control/')) return handleControlRequest(req, res, pathname, { store, faults, log });
    if (method === 'POST' && pathname === '/') return trackUpload(handlePostObject(req, res, requestId, postObjectDeps()));
    if (method === 'PUT' && pathname !== '/') return trackUpload(loggedPutObject(req, res, requestId));
    const { searchParams } = new URL(req.url ?? '/', 'http://127.0.0.1');
    // docs/work-order-api.md §4: a GetSignedUrl download carries its signature in the query.
    if ((method === 'GET' || method === 'HEAD') && pathname !== '/' && (searchParams.has('Signature') || searchParams.has('Expires'))) {
      const latencyMs = faults.drawLatencyMs();
      if (latencyMs > 0) await sleep(latencyMs);
      return handlePresignedGetObject(req, res, presignedDeps(requestId));
    }
    if ((method === 'GET' || method === 'HEAD') && pathname !== '/') return serveObject(req, res, pathname);
    return sendError(req, res, ossErrors.methodNotAllowed());
  };

  const server = createServer((req, res) => {
    route(req, res).catch(() => {
      // Never let one request take the process down: answer 500 if we still can.
      if (!res.headersSent) sendError(req, res, ossErrors.internalError());
      else res.destroy();
    });
  });
  // Throttled uploads may legitimately take minutes.
  server.requestTimeout = 0;
  server.on('clientError', (_error, socket) => {
    // Not even HTTP: still answer like OSS would, with a request id (docs/oss-protocol.md §4).
    if (socket.writable) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nx-oss-request-id: ${createRequestId()}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });

  const port = await listenOnLoopback(server, options.port ?? 0, { fallback: options.fallbackPort ?? false });
  baseUrl = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await closeHttpServer(server);
      await Promise.allSettled([...inFlight]);
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };

  return {
    url: baseUrl,
    port,
    bucket,
    region: credentials.region,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
    dataDir,
    close,
  };
}
