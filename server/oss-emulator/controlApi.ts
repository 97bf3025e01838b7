import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultsPatch, type FaultInjector, type OssFaults } from './faults.js';
import { readRequestText, sendJson } from '../local-stack/jsonHttp.js';
import { err, ok, type Result } from '../result.js';
import type { ObjectStore, StoredObject } from './objectStore.js';
import type { PostObjectLogEntry, RequestLog } from './requestLog.js';

/** An entry of `GET /__control/objects`. */
export type ControlObject = Omit<StoredObject, 'headers'>;

export interface ControlObjectsResponse {
  objects: ControlObject[];
}

export interface ControlRequestsResponse {
  requests: PostObjectLogEntry[];
}

/** `GET/POST /__control/faults` answer: the knobs plus the RNG seed in use. */
export type ControlFaultsResponse = OssFaults & { seed: number };

export interface ControlApiDeps {
  store: ObjectStore;
  faults: FaultInjector;
  log: RequestLog;
}

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

function faultsResponse(faults: FaultInjector): ControlFaultsResponse {
  return { ...faults.current, seed: faults.seed };
}

function toControlObject(object: StoredObject): ControlObject {
  const { key, size, md5, etag, contentType, contentDisposition, storedAt } = object;
  return { key, size, md5, etag, contentType, ...(contentDisposition === undefined ? {} : { contentDisposition }), storedAt };
}

async function readJson(req: IncomingMessage): Promise<Result<unknown, string>> {
  const body = await readRequestText(req, MAX_CONTROL_BODY_BYTES);
  if (!body.ok) return err(`Could not read the body (${body.error}).`);
  if (body.value.trim() === '') return ok({});
  try {
    return ok(JSON.parse(body.value) as unknown);
  } catch {
    return err('The body is not valid JSON.');
  }
}

/**
 * The emulator's test/demo control API under `/__control/` (loopback only, JSON, same CORS as
 * the bucket so a page on another port can drive it).
 */
export async function handleControlRequest(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: ControlApiDeps,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${pathname}`;
  switch (route) {
    case 'GET /__control/objects':
      sendJson(res, 200, { objects: deps.store.list().map(toControlObject) } satisfies ControlObjectsResponse);
      return;
    case 'GET /__control/requests':
      sendJson(res, 200, { requests: deps.log.list() } satisfies ControlRequestsResponse);
      return;
    case 'GET /__control/faults':
      sendJson(res, 200, faultsResponse(deps.faults));
      return;
    case 'POST /__control/faults': {
      const body = await readJson(req);
      const patch = body.ok ? parseFaultsPatch(body.value) : body;
      if (!patch.ok) {
        sendJson(res, 400, { error: patch.error });
        return;
      }
      deps.faults.apply(patch.value);
      sendJson(res, 200, faultsResponse(deps.faults));
      return;
    }
    // Stands for OSS DeleteObject, which a real backend calls with its own credentials.
    case 'POST /__control/delete': {
      const body = await readJson(req);
      const key = body.ok && typeof body.value === 'object' && body.value !== null ? (body.value as { key?: unknown }).key : undefined;
      if (typeof key !== 'string' || key === '') {
        sendJson(res, 400, { error: 'Expected {"key": "<object key>"}.' });
        return;
      }
      sendJson(res, 200, { key, deleted: await deps.store.remove(key) });
      return;
    }
    case 'POST /__control/reset':
      await readRequestText(req, MAX_CONTROL_BODY_BYTES);
      await deps.store.clear();
      deps.log.clear();
      deps.faults.reset();
      sendJson(res, 200, { ok: true });
      return;
    default: {
      const known = ['/__control/objects', '/__control/requests', '/__control/faults', '/__control/reset', '/__control/delete'];
      if (known.includes(pathname)) sendJson(res, 405, { error: `${req.method ?? ''} is not allowed on ${pathname}.` });
      else sendJson(res, 404, { error: `Unknown control endpoint ${pathname}.` });
    }
  }
}
