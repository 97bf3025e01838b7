import { presignUrl } from '../../../../server/oss-emulator/presignedUrl';
import { toNodeHandler } from '../../../../server/work-order/toNodeHandler';
import {
  createWorkOrder2021Emulator,
  type WorkOrder2021Emulator,
  type WorkOrder2021EmulatorOptions,
} from '../../../../server/work-order/workOrder2021Emulator';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

export const API_ACCESS_KEY_ID = 'LTAI5tWorkOrder2021';
export const API_ACCESS_KEY_SECRET = 'work-order-2021-secret';
export const STS_ACCESS_KEY_ID = 'STS.WorkOrder2021';
export const STS_ACCESS_KEY_SECRET = 'work-order-2021-sts-secret';
export const STS_TOKEN = 'CAIS.sts-token';
export const OSS_ACCESS_KEY_ID = 'LTAI5tOssForWorkOrder';
export const OSS_ACCESS_KEY_SECRET = 'oss-for-work-order-secret';
export const OSS_BUCKET = 'workorder-attachments';
export const OSS_ENDPOINT = 'http://oss.localhost:9000';

export interface WorkOrder2021Stack extends LoopbackServer {
  emulator: WorkOrder2021Emulator;
  /** Keys the fake OSS holds (tests "upload" by adding to it). */
  uploaded: Set<string>;
  /** Shifts the emulator's clock (ms). */
  clock: { offsetMs: number };
}

/** The 2021 emulator on loopback, presigning for a fake OSS whose contents the test controls. */
export async function startWorkOrder2021Stack(overrides: Partial<WorkOrder2021EmulatorOptions> = {}): Promise<WorkOrder2021Stack> {
  const uploaded = new Set<string>();
  const clock = { offsetMs: 0 };
  const emulator = createWorkOrder2021Emulator({
    credentials: [
      { accessKeyId: API_ACCESS_KEY_ID, accessKeySecret: API_ACCESS_KEY_SECRET },
      { accessKeyId: STS_ACCESS_KEY_ID, accessKeySecret: STS_ACCESS_KEY_SECRET, securityToken: STS_TOKEN },
    ],
    presign: (objectKey, method, contentType) =>
      presignUrl({
        method,
        bucket: OSS_BUCKET,
        key: objectKey,
        expires: Math.floor((Date.now() + clock.offsetMs) / 1000) + 900,
        accessKeyId: OSS_ACCESS_KEY_ID,
        accessKeySecret: OSS_ACCESS_KEY_SECRET,
        endpoint: OSS_ENDPOINT,
        ...(contentType === undefined ? {} : { contentType }),
      }),
    objectExists: (objectKey) => uploaded.has(objectKey),
    now: () => Date.now() + clock.offsetMs,
    ...overrides,
  });
  const server = await startLoopbackServer(toNodeHandler(emulator.handle));
  return { ...server, emulator, uploaded, clock };
}
