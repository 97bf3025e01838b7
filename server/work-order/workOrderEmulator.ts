import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkOrderCredential } from './checkRpcGatewayRequest.js';
import type { WorkOrderOssAuthorization } from './legacyWorkOrderEnvelope.js';
import { createLegacyWorkOrderEmulator, type LegacyWorkOrderEmulator } from './legacyWorkOrderEmulator.js';
import { createWorkOrder2021Emulator, isWorkOrder2021Request, type WorkOrder2021Emulator } from './workOrder2021Emulator.js';
import type { WorkOrderFaults, WorkOrderFaultsPatch } from './workOrderFaults.js';

export interface WorkOrderEmulatorOptions {
  /** The AccessKeys the gateway knows, for both API versions; one with a `securityToken` is an STS credential. */
  credentials: readonly WorkOrderCredential[];
  /** 2016-08-30 getOSSTempAuthor: a POST policy for uploads under `dir` (see the legacy emulator). */
  issueAuthorization: (dir: string) => WorkOrderOssAuthorization | Promise<WorkOrderOssAuthorization>;
  /** Whether the attachment bucket holds `key` (both versions check attachments with it). */
  objectExists: (key: string) => boolean | Promise<boolean>;
  /** 2021-06-10: a presigned OSS URL for an object key (PUT with its Content-Type, GET without). */
  presign: (key: string, method: 'PUT' | 'GET', contentType: string | undefined) => string | Promise<string>;
  /** Clock in ms before the clock-offset fault. Default: Date.now. */
  now?: () => number;
}

/**
 * The local `workorder.aliyuncs.com`: ONE endpoint serving both API versions, told apart by the
 * request's version as the real gateway does (docs/work-order-api.md §1, §6). Both SDKs send an
 * `x-acs-version` header: `2021-06-10` from @alicloud/workorder20210610 (ACS3, the header signed), and
 * `2016-08-30` from pop-core 1.8 (next to the signed `Version` RPC parameter, which the legacy side checks).
 */
export interface WorkOrderEmulator {
  handle(request: Request): Promise<Response>;
  /** The faults in force (a copy). */
  faults(): WorkOrderFaults;
  /** Changes some faults and returns all of them. */
  setFaults(patch: WorkOrderFaultsPatch): WorkOrderFaults;
  /** The 2016-08-30 side: its tickets (`getTicket`, `listTickets`) and issued dirs. */
  readonly legacy: LegacyWorkOrderEmulator;
  /** The 2021-06-10 side: its tickets and issued ObjectKeys. Replaced by {@link reset}. */
  readonly current: WorkOrder2021Emulator;
  /** Forgets every ticket, dir, key and nonce of both versions and turns every fault off. */
  reset(): void;
}

/**
 * Both emulators behind one handler. The faults live in one place (the legacy emulator's): slow
 * answers and the clock offset apply to both versions; `SYSTEM_BUSY` and `ILLEGAL_AUTH` are the
 * 2016-08-30 API's documented business errors (-153, -121) and only its calls answer them, since the
 * 2021-06-10 API publishes no names for its business codes.
 */
export function createWorkOrderEmulator(options: WorkOrderEmulatorOptions): WorkOrderEmulator {
  const baseNow = options.now ?? Date.now;
  const legacy = createLegacyWorkOrderEmulator({
    credentials: options.credentials,
    issueAuthorization: options.issueAuthorization,
    objectExists: options.objectExists,
    now: () => new Date(baseNow()),
  });
  const createCurrent = (): WorkOrder2021Emulator =>
    createWorkOrder2021Emulator({
      credentials: options.credentials,
      presign: options.presign,
      objectExists: options.objectExists,
      now: () => baseNow() + legacy.faults().clockOffsetMs,
    });
  let current = createCurrent();

  return {
    async handle(request) {
      if (!isWorkOrder2021Request(request)) return legacy.handle(request);
      const { latencyMs } = legacy.faults();
      if (latencyMs > 0) {
        try {
          await sleep(latencyMs, undefined, { signal: request.signal });
        } catch {
          // The client went away during the latency fault: nobody reads this answer.
          return new Response(null, { status: 499 });
        }
      }
      return current.handle(request);
    },
    faults: () => legacy.faults(),
    setFaults: (patch) => legacy.setFaults(patch),
    legacy,
    get current() {
      return current;
    },
    reset() {
      legacy.reset();
      current = createCurrent();
    },
  };
}
