// `npm start`: the OSS emulator, the Work Order API emulator (both versions), the demo backend and the
// Vite dev server together, on 127.0.0.1. WORK_ORDER_ENDPOINT (+ WORK_ORDER_ACCESS_KEY_ID,
// WORK_ORDER_ACCESS_KEY_SECRET, optional WORK_ORDER_SECURITY_TOKEN) points the demo backend at another
// Work Order API instead, e.g. the real service; the AccessKey is never printed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from './localStack.js';
import type { OssSignatureVersion } from '../signer/ossPostPolicySigner.js';
import type { WorkOrderConnection } from '../work-order/demo-backend/createDemoBackend.js';

function envInteger(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function envSignatureVersion(): OssSignatureVersion | undefined {
  const raw = process.env.OSS_SIGNATURE_VERSION?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'v1' && raw !== 'v4') throw new Error(`OSS_SIGNATURE_VERSION must be v1 or v4, got "${raw}"`);
  return raw;
}

/** WORK_ORDER_* from the environment; undefined when WORK_ORDER_ENDPOINT is unset (the local emulator is used). */
function envWorkOrder(): WorkOrderConnection | undefined {
  const endpoint = process.env.WORK_ORDER_ENDPOINT;
  if (endpoint === undefined || endpoint === '') return undefined;
  if (!/^https?:\/\/[^/]+\/?$/.test(endpoint))
    throw new Error(`WORK_ORDER_ENDPOINT must be an origin like https://workorder.aliyuncs.com, got "${endpoint}"`);
  const accessKeyId = process.env.WORK_ORDER_ACCESS_KEY_ID;
  const accessKeySecret = process.env.WORK_ORDER_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret)
    throw new Error('WORK_ORDER_ENDPOINT needs WORK_ORDER_ACCESS_KEY_ID and WORK_ORDER_ACCESS_KEY_SECRET.');
  const securityToken = process.env.WORK_ORDER_SECURITY_TOKEN;
  return { endpoint: endpoint.replace(/\/+$/, ''), accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
}

/** Enough of an AccessKeyId to tell which key is in use, never all of it. */
function maskAccessKeyId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 6)}…${id.slice(-4)}`;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lifetimeSeconds = envInteger('OSS_AUTH_LIFETIME_SECONDS', undefined);
const maxSize = envInteger('OSS_MAX_SIZE', undefined);
const signatureVersion = envSignatureVersion();
const workOrder = envWorkOrder();

// Handlers go in before anything starts, so Ctrl-C during startup still cleans up.
const running: { stack?: LocalStack; signal?: NodeJS.Signals } = {};
const closeAndExit = (stack: LocalStack): void => {
  stack.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
const onSignal = (signal: NodeJS.Signals): void => {
  if (running.signal !== undefined) return;
  running.signal = signal;
  console.log(`\n  ${signal}: stopping…`);
  // A hung close must still end the process.
  setTimeout(() => process.exit(1), 5_000).unref();
  if (running.stack !== undefined) closeAndExit(running.stack);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A taken port falls back to a free one (startLocalStack prints which).
running.stack = await startLocalStack({
  port: envInteger('PORT', 5173) ?? 5173,
  ossPort: envInteger('OSS_PORT', 9000) ?? 9000,
  workOrderPort: envInteger('WORK_ORDER_PORT', 9100) ?? 9100,
  ...(workOrder === undefined ? {} : { workOrder }),
  ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
  ...(maxSize === undefined ? {} : { maxSize }),
  ...(signatureVersion === undefined ? {} : { signatureVersion }),
});
const { stack } = running;

if (running.signal !== undefined) {
  closeAndExit(stack);
} else {
  const key = maskAccessKeyId(stack.workOrderAccessKeyId);
  const workOrderLine =
    stack.workOrder === undefined
      ? `  Work Order API     ${stack.workOrderUrl}/  (WORK_ORDER_ENDPOINT: NOT the emulator; AccessKey ${key} from the environment)`
      : `  Work Order API     ${stack.workOrderUrl}/  (local emulator, 2016-08-30 + 2021-06-10; demo AccessKey ${key}, generated at start)
  Work Order control ${stack.workOrderUrl}/__control/faults | tickets | reset`;
  console.log(`
  Demo page          ${stack.appUrl}/
  Demo backend       ${stack.appUrl}/api/  (getOSSTempAuthor, attachment-upload-url, tickets: calls the Work Order API through pop-core / @alicloud/workorder20210610)
${workOrderLine}
  OSS emulator       ${stack.ossUrl}/  (bucket ${stack.emulator.bucket}, data ${stack.emulator.dataDir})
  OSS control        ${stack.ossUrl}/__control/objects | faults | requests | reset
  Chain              ${
    stack.workOrder === undefined
      ? 'browser → demo backend → the configured Work Order API → browser uploads to the bucket its answers name'
      : 'browser → demo backend → Work Order API emulator → signer/presigner → browser uploads to the OSS emulator'
  }
${existsSync(path.join(repoRoot, 'index.html')) ? '' : '\n  (no index.html yet: the demo page is not written; the API works)\n'}
  Press Ctrl-C to stop.`);
}
