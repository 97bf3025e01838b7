import type { DemoBackend } from '../work-order/demo-backend/createDemoBackend.js';
import { parseWorkOrderFaultsPatch } from '../work-order/workOrderFaults.js';
import type { AuthorizationSettings } from './authorizationSettings.js';
import type { RunningWorkOrderEmulator } from './startWorkOrderEmulator.js';

export interface LocalControlApiDeps {
  settings: AuthorizationSettings;
  backend: DemoBackend;
  /** Undefined when the demo backend calls another Work Order endpoint. */
  workOrder: RunningWorkOrderEmulator | undefined;
}

const MAX_BODY_BYTES = 64 * 1024;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, error: 'The body is too large.' };
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'The body is not valid JSON.' };
  }
}

/**
 * The local stack's own knobs on the app's origin (same origin as the demo page, so its panel needs
 * no CORS), never part of a customer's backend:
 * - `GET/POST /api/__control/authorization`: lifetime, size cap and signature version of the local
 *   Work Order API's authorizations, and how many it issued;
 * - `GET/POST /api/__control/work-order-faults`: the Work Order API emulator's faults (slow answers,
 *   SYSTEM_BUSY, ILLEGAL_AUTH, clock offset), the same as its own `/__control/faults`;
 * - `POST /api/__control/reset`: settings back to their start values, tickets and faults forgotten.
 */
export function createLocalControlApi(deps: LocalControlApiDeps): (request: Request) => Promise<Response> {
  const { settings, backend, workOrder } = deps;
  return async (request) => {
    const { pathname } = new URL(request.url);
    const route = `${request.method} ${pathname}`;
    switch (route) {
      case 'GET /api/__control/authorization':
        return json(200, settings.current);
      case 'POST /api/__control/authorization': {
        const body = await readJson(request);
        const updated = body.ok ? settings.update(body.value) : body;
        return updated.ok ? json(200, updated.value) : json(400, { success: false, code: 'ILLEGAL_PARAM', message: updated.error });
      }
      case 'GET /api/__control/work-order-faults':
      case 'POST /api/__control/work-order-faults': {
        if (workOrder === undefined)
          return json(409, { error: 'The demo backend calls another Work Order endpoint; the emulator is not running.' });
        if (request.method === 'GET') return json(200, workOrder.emulator.faults());
        const body = await readJson(request);
        const patch = body.ok ? parseWorkOrderFaultsPatch(body.value) : body;
        return patch.ok ? json(200, workOrder.emulator.setFaults(patch.value)) : json(400, { error: patch.error });
      }
      case 'POST /api/__control/reset':
        await request.text();
        settings.reset();
        backend.reset();
        workOrder?.emulator.reset();
        return json(200, { ok: true });
      default:
        return json(404, { success: false, code: 'NOT_FOUND', message: `No control route ${route}.` });
    }
  };
}
