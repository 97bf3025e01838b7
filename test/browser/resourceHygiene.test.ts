import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setUpDemoSession, type DemoSession } from './support/demoStack';
import { openHarness } from './support/harnessPage';
import { fileInput, throttleUpload, toPayload } from './support/pageHelpers';
import { makeTestFile } from './support/testFiles';

// Leaks a user would feel after a long session: object URLs, open connections, heap, and work that
// goes on after the uploader is gone.
let session: DemoSession;
let page: Page;
let consoleProblems: string[];

/** Counts live object URLs and XHRs from inside the page, before any of its code runs. */
const INSTRUMENT = () => {
  const live = new Set<string>();
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  URL.createObjectURL = (object: Blob | MediaSource) => {
    const url = create(object);
    live.add(url);
    return url;
  };
  URL.revokeObjectURL = (url: string) => {
    live.delete(url);
    revoke(url);
  };
  let openXhrs = 0;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    openXhrs += 1;
    this.addEventListener('loadend', () => (openXhrs -= 1), { once: true });
    return send.call(this, body);
  };
  (window as unknown as { hygiene: () => { objectUrls: number; openXhrs: number } }).hygiene = () => ({ objectUrls: live.size, openXhrs });
};

const hygiene = (page: Page) =>
  page.evaluate(() => (window as unknown as { hygiene: () => { objectUrls: number; openXhrs: number } }).hygiene());

async function heapUsedAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize;
}

const demo = setUpDemoSession({
  beforeEachPage: async (page) => {
    consoleProblems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
    await page.addInitScript(INSTRUMENT);
  },
});
beforeEach(() => {
  ({ session, page } = demo);
});

describe('resource hygiene in Chromium', () => {
  it('leaves no object URL, open request or retained heap after 1,000 add/remove cycles of images', async () => {
    await openHarness(page, session.stack, { maxFiles: 5 });
    await page.evaluate(() => {
      const png = Uint8Array.from(
        atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
        (c) => c.charCodeAt(0),
      );
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      let serial = 0;
      (window as unknown as { addRemoveCycles: (count: number) => Promise<number> }).addRemoveCycles = async (count) => {
        const zone = document.querySelector('.taup-dropzone') as HTMLElement;
        for (let index = 0; index < count; index += 1) {
          const name = `image-${(serial += 1)}.png`;
          const transfer = new DataTransfer();
          transfer.items.add(new File([png], name, { type: 'image/png' }));
          zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
          let button = document.querySelector<HTMLButtonElement>(`[aria-label="Remove ${name}"]`);
          while (!button) {
            await frame();
            button = document.querySelector<HTMLButtonElement>(`[aria-label="Remove ${name}"]`);
          }
          // Alternate: remove some while still uploading (the cancel path), some a frame later.
          if (index % 2 === 1) await frame();
          button.click();
          await frame();
        }
        return count;
      };
    });
    const cycles = (count: number) =>
      page.evaluate((n) => (window as unknown as { addRemoveCycles: (count: number) => Promise<number> }).addRemoveCycles(n), count);
    // Warm-up: JIT code, inline caches and React's pools grow for a while and then plateau; only
    // growth after that is retained per cycle.
    await cycles(300);
    const heapBefore = await heapUsedAfterGc(page);
    const total = Number(process.env.HYGIENE_CYCLES ?? 1_000);
    expect(await cycles(total)).toBe(total);
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).count()).toBe(0);
    await expect.poll(() => hygiene(page), { timeout: 10_000 }).toEqual({ objectUrls: 0, openXhrs: 0 });

    const heapAfter = await heapUsedAfterGc(page);
    const growth = heapAfter - heapBefore;
    console.info(
      `[hygiene] heap after GC: before ${(heapBefore / 1e6).toFixed(2)} MB, after ${total} more cycles ${(heapAfter / 1e6).toFixed(2)} MB, growth ${(growth / 1e6).toFixed(2)} MB`,
    );
    // A leaked row (File, fiber, DOM nodes, queue entry) costs well over 1 KB: 1,000 of them would
    // pass this bound; the allocator's noise stays far below it.
    expect(growth).toBeLessThan(1_000_000);
    expect(consoleProblems.filter((text) => !text.includes('404'))).toEqual([]);
  });

  it('aborts five uploads in flight on unmount: no React warnings, nothing completes or is stored afterwards', async () => {
    await openHarness(page, session.stack, { maxFiles: 5, concurrency: 5 });
    await throttleUpload(page, 200_000);
    await fileInput(page).setInputFiles(
      toPayload(Array.from({ length: 5 }, (_, index) => makeTestFile(`big-${index}.bin`, 1_500_000 + index))),
    );
    await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 10_000 }).toBe(5);
    expect((await hygiene(page)).openXhrs).toBe(5);

    await page.evaluate(() => window.unmountUploader());
    await page.getByRole('button', { name: 'Attach files' }).waitFor({ state: 'detached' });
    await expect.poll(() => hygiene(page)).toEqual({ objectUrls: 0, openXhrs: 0 });
    await page.waitForTimeout(1_500);

    const requests = await session.stack.requests();
    expect(requests.filter((request) => request.status !== 0)).toEqual([]);
    expect(await session.stack.objects()).toEqual([]);
    expect(await page.evaluate(() => window.harness.paths)).toEqual([]);
    expect(consoleProblems.filter((text) => !text.includes('404'))).toEqual([]);
  });
});
