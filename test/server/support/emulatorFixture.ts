import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ControlObjectsResponse, ControlRequestsResponse } from '../../../server/oss-emulator/controlApi';
import { startOssEmulator, type OssEmulator, type OssEmulatorOptions } from '../../../server/oss-emulator/ossEmulator';
import { controlJson } from './ossForms';

/**
 * One emulator for a test file, reset after each test, and readers of its control API. The
 * emulator exists from the file's first `beforeAll` on.
 */
export function setUpEmulator(options?: OssEmulatorOptions) {
  let started: OssEmulator | undefined;
  const emulator = (): OssEmulator => {
    if (!started) throw new Error('The emulator has not started yet.');
    return started;
  };
  beforeAll(async () => {
    started = await startOssEmulator(options);
  });
  afterEach(async () => {
    if (started) await controlJson(started.url, 'reset', {});
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    emulator,
    objects: async (): Promise<ControlObjectsResponse['objects']> =>
      (await controlJson<ControlObjectsResponse>(emulator().url, 'objects')).objects,
    requests: async (): Promise<ControlRequestsResponse['requests']> =>
      (await controlJson<ControlRequestsResponse>(emulator().url, 'requests')).requests,
    /** Files in the emulator's temporary folder: an upload that was not committed must leave none. */
    tempFiles: (): Promise<string[]> => readdir(path.join(emulator().dataDir, 'tmp')),
  };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}
