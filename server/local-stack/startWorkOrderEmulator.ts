import { createServer } from 'node:http';
import type { WorkOrderCredential } from '../work-order/checkRpcGatewayRequest.js';
import { toNodeHandler } from '../work-order/toNodeHandler.js';
import { createWorkOrderEmulator, type WorkOrderEmulator } from '../work-order/workOrderEmulator.js';
import { parseWorkOrderFaultsPatch } from '../work-order/workOrderFaults.js';
import { AuthorizationSettings, DEFAULT_SIGNING_SETTINGS } from './authorizationSettings.js';
import { closeHttpServer } from './closeHttpServer.js';
import { listenOnLoopback } from './listenOnLoopback.js';
import { createWorkOrderOssBucket, type OssBucketAccess, type WorkOrderOssBucket } from './workOrderOssBucket.js';

export interface WorkOrderEmulatorServerOptions {
  /** Port on 127.0.0.1; 0 = a free port. Default: 0. */
  port?: number;
  /** When the port is taken, listen on a free one instead of failing. Default: false. */
  fallbackPort?: boolean;
  /** The AccessKeys the emulated gateway accepts (both API versions). */
  credentials: readonly WorkOrderCredential[];
  /** The attachment bucket: the OSS emulator the authorizations and presigned URLs point at. */
  oss: OssBucketAccess;
  /** Lifetime, size cap and signature version of authorizations and presigned URLs. Default: 120 s, 2 MB, V1. */
  settings?: AuthorizationSettings;
}

export interface RunningWorkOrderEmulator {
  /** `http://127.0.0.1:<port>`, no trailing slash: the endpoint both SDKs are pointed at. */
  url: string;
  port: number;
  emulator: WorkOrderEmulator;
  bucket: WorkOrderOssBucket;
  settings: AuthorizationSettings;
  close(): Promise<void>;
}

const MAX_CONTROL_BODY_BYTES = 64 * 1024;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_CONTROL_BODY_BYTES) return { ok: false };
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The emulator's test/demo control API under `/__control/` (never part of the real service):
 * `GET/POST faults` (latencyMs, systemBusy, illegalAuth, clockOffsetMs), `GET tickets` (both
 * versions' tickets: `legacy` for 2016-08-30, which has no read action we know of, and `current`
 * for 2021-06-10) and `POST reset`.
 */
async function handleControl(request: Request, emulator: WorkOrderEmulator): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = `${request.method} ${pathname}`;
  switch (route) {
    case 'GET /__control/faults':
      return json(200, emulator.faults());
    case 'POST /__control/faults': {
      const body = await readJson(request);
      const patch = body.ok ? parseWorkOrderFaultsPatch(body.value) : { ok: false as const, error: 'The body is not valid JSON.' };
      return patch.ok ? json(200, emulator.setFaults(patch.value)) : json(400, { error: patch.error });
    }
    case 'GET /__control/tickets':
      return json(200, {
        legacy: emulator.legacy.listTickets(),
        current: emulator.current.tickets.list(),
      });
    case 'POST /__control/reset':
      await request.text();
      emulator.reset();
      return json(200, { ok: true });
    default: {
      const known = ['/__control/faults', '/__control/tickets', '/__control/reset'];
      return known.includes(pathname)
        ? json(405, { error: `${request.method} is not allowed on ${pathname}.` })
        : json(404, { error: `Unknown control endpoint ${pathname}.` });
    }
  }
}

/**
 * Starts the local Work Order API on 127.0.0.1: one endpoint for both API versions (2016-08-30
 * through pop-core, 2021-06-10 through @alicloud/workorder20210610), its authorizations and
 * presigned URLs signed for the given OSS emulator, and its control API under `/__control/`.
 */
export async function startWorkOrderEmulator(options: WorkOrderEmulatorServerOptions): Promise<RunningWorkOrderEmulator> {
  const settings = options.settings ?? new AuthorizationSettings({ ...DEFAULT_SIGNING_SETTINGS });
  const bucket = createWorkOrderOssBucket(options.oss, {
    forAuthorization: () => settings.forNextRequest(),
    forUrl: () => settings.signing,
  });
  const emulator = createWorkOrderEmulator({
    credentials: options.credentials,
    issueAuthorization: (dir) => bucket.issueAuthorization(dir),
    objectExists: (key) => bucket.objectExists(key),
    presign: (key, method, contentType) => bucket.presign(key, method, contentType),
  });
  const server = createServer(
    toNodeHandler((request) =>
      new URL(request.url).pathname.startsWith('/__control/') ? handleControl(request, emulator) : emulator.handle(request),
    ),
  );
  const port = await listenOnLoopback(server, options.port ?? 0, { fallback: options.fallbackPort ?? false });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    emulator,
    bucket,
    settings,
    close: () => closeHttpServer(server),
  };
}
