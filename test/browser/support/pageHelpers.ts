import type { Locator, Page } from 'playwright-core';
import type { TestFile } from './testFiles';

export const toPayload = (files: TestFile[]) => files.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer }));

/** The file input of the n-th uploader on the page (the demo has one per form). */
export function fileInput(page: Page, index = 0): Locator {
  return page.getByLabel('Choose files to attach').nth(index);
}

/** Records every `aria-valuenow` a progressbar ever shows, from the page's side, so no value is missed between polls. */
export async function recordProgressValues(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { progressSeen: number[] }).progressSeen = seen;
    const record = (element: Element) => {
      const value = element.getAttribute('aria-valuenow');
      if (element.getAttribute('role') === 'progressbar' && value !== null) seen.push(Number(value));
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes') record(mutation.target as Element);
        for (const node of mutation.addedNodes) {
          if (node instanceof Element) {
            record(node);
            node.querySelectorAll('[role="progressbar"]').forEach(record);
          }
        }
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

export function progressValuesSeen(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
}

/** Rows of the attachment list by their visible status text. */
export function rowsWithStatus(page: Page, status: string): Locator {
  return page.getByRole('list', { name: 'Attachments' }).getByRole('listitem').filter({ hasText: status });
}

/**
 * Caps the page's upload bandwidth inside Chromium's network stack (DevTools throttling). Needed
 * to see real progress: on loopback the kernel's socket buffers swallow a 2 MB body at once, so a
 * slow-reading server alone makes the browser report 100 % immediately and then wait.
 */
export async function throttleUpload(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}
