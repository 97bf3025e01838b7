import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { setUpDemoSession, type DemoSession } from './support/demoStack';
import { harnessRecord, openHarness } from './support/harnessPage';
import { fileInput, rowsWithStatus, toPayload } from './support/pageHelpers';
import { makeTestFile } from './support/testFiles';

// The offline-aware queue in Chromium against the local stack: DevTools' offline emulation is what a
// real outage looks like to the page (`navigator.onLine` turns false, the window gets `offline`,
// requests fail), so this is the end-to-end proof of what test/components/offline.test.tsx checks
// with a mocked `navigator`.
const demo = setUpDemoSession();
let session: DemoSession;
let page: Page;
beforeEach(() => {
  ({ session, page } = demo);
});

const FILES = 12;
const UPLOAD_BYTES_PER_SECOND = 400_000;

/**
 * Network conditions inside Chromium's network stack. The upload cap keeps uploads in flight long
 * enough to cut them: on loopback the kernel's socket buffers would otherwise swallow each body at once.
 */
async function emulateNetwork(page: Page): Promise<(offline: boolean) => Promise<void>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  return async (offline) => {
    await cdp.send('Network.emulateNetworkConditions', {
      offline,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: UPLOAD_BYTES_PER_SECOND,
    });
  };
}

describe('offline in the middle of a batch, in Chromium', () => {
  it('makes every unfinished file wait for the connection, then finishes them all without a click and stores each once', async () => {
    // One attempt per file: if time offline (or the aborts it causes) spent an attempt, files would fail.
    await openHarness(page, session.stack, { maxFiles: FILES, concurrency: 3, maxAttempts: 1 });
    const setOffline = await emulateNetwork(page);
    await setOffline(false);
    const files = Array.from({ length: FILES }, (_, index) => makeTestFile(`offline-${index + 1}.bin`, 300_000 + index));
    await fileInput(page).setInputFiles(toPayload(files));

    // Cut the network once some upload has made progress and the batch is far from done.
    await expect
      .poll(() => rowsWithStatus(page, 'Uploading').filter({ hasNotText: 'Uploading 0%' }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    // Every file not yet stored says so (none is left uploading, preparing or failed), and it stays
    // that way for the whole outage: nothing finishes or gives up while offline.
    const waiting = rowsWithStatus(page, 'Waiting for connection');
    const uploaded = rowsWithStatus(page, 'Uploaded');
    await expect.poll(async () => (await waiting.count()) + (await uploaded.count()), { timeout: 5_000 }).toBe(FILES);
    const uploadedWhenCut = await uploaded.count();
    expect(uploadedWhenCut).toBeLessThan(FILES);
    await sleep(3_000);
    expect(await uploaded.count()).toBe(uploadedWhenCut);
    expect(await waiting.count()).toBe(FILES - uploadedWhenCut);
    expect(await page.getByRole('button', { name: /^Retry / }).count()).toBe(0);

    await setOffline(false);
    await expect.poll(() => uploaded.count(), { timeout: 60_000 }).toBe(FILES);
    expect(await waiting.count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Retry / }).count()).toBe(0);

    // The outage really cut uploads in flight: each was sent again from the start, under the same key
    // (the emulator saw it end unanswered, or answered it after the page had already given up on it)…
    const requests = await session.stack.requests();
    const sentAgain = new Set(
      requests.filter((request, index) => requests.findIndex((other) => other.key === request.key) !== index).map((request) => request.key),
    );
    expect(sentAgain.size, 'uploads cut by the outage and sent again').toBeGreaterThan(0);
    const record = await harnessRecord(page);
    expect(record.failed).toEqual([]);
    // …and yet the paths handed to the form are exactly the stored objects, each once, with the right bytes.
    const stored = await session.stack.objects();
    expect(record.paths).toHaveLength(FILES);
    expect(new Set(record.paths).size).toBe(FILES);
    expect(stored).toHaveLength(FILES);
    expect([...record.paths].sort()).toEqual(stored.map((object) => object.key).sort());
    expect(stored.map((object) => object.md5).sort()).toEqual(files.map((file) => file.md5).sort());
  });
});
