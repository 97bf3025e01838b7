// `npm start`: the OSS emulator, the ticket API and the Vite dev server together (issue 3 §3).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack, type LocalStack } from './localStack.js';
import type { OssSignatureVersion } from '../signer/ossPostPolicySigner.js';

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

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lifetimeSeconds = envInteger('OSS_AUTH_LIFETIME_SECONDS', undefined);
const maxSize = envInteger('OSS_MAX_SIZE', undefined);
const signatureVersion = envSignatureVersion();

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
  ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
  ...(maxSize === undefined ? {} : { maxSize }),
  ...(signatureVersion === undefined ? {} : { signatureVersion }),
});
const { stack } = running;

if (running.signal !== undefined) {
  closeAndExit(stack);
} else {
  console.log(`
  Demo + ticket API  ${stack.appUrl}/
  OSS emulator       ${stack.ossUrl}/  (bucket ${stack.emulator.bucket}, data ${stack.emulator.dataDir})
  getOSSTempAuthor   ${stack.appUrl}/api/getOSSTempAuthor
  Emulator control   ${stack.ossUrl}/__control/objects | faults | requests | reset
${existsSync(path.join(repoRoot, 'index.html')) ? '' : '\n  (no index.html yet: the demo page is not written; the API works)\n'}
  Press Ctrl-C to stop.`);
}
