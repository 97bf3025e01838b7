import { mkdir } from 'node:fs/promises';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatViolations, runAxe } from './support/axe';
import { openDemo, SCREENSHOTS, setUpDemoSession, type DemoSession } from './support/demoStack';
import { fileInput, rowsWithStatus, toPayload } from './support/pageHelpers';
import { makePng, makeTestFile } from './support/testFiles';

// How a person reaches the uploader: drag and drop, paste, keyboard only, a screen reader's live
// region, the Chinese locale, and axe-core over the demo's main states.
const demo = setUpDemoSession({ beforeEachPage: openDemo });
let session: DemoSession;
let page: Page;
beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
});
beforeEach(() => {
  ({ session, page } = demo);
});

/** Builds a DataTransfer holding one file in the page (what a real drag or a clipboard paste carries). */
async function dispatchWithFile(page: Page, kind: 'drop' | 'paste', file: { name: string; type: string; text: string }) {
  await page.evaluate(
    ({ kind, file }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([file.text], file.name, { type: file.type }));
      const zone = document.querySelector('.taup-dropzone') as HTMLElement;
      if (kind === 'paste') {
        zone.focus();
        zone.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
        return;
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { kind, file },
  );
}

describe('demo accessibility and input methods in Chromium', () => {
  it('accepts a file dropped on the drop zone and a file pasted from the clipboard', async () => {
    await dispatchWithFile(page, 'drop', { name: 'dropped.txt', type: 'text/plain', text: 'dropped bytes' });
    await rowsWithStatus(page, 'Uploaded').filter({ hasText: 'dropped.txt' }).waitFor({ timeout: 20_000 });
    await dispatchWithFile(page, 'paste', { name: 'pasted.png', type: 'image/png', text: 'not really a png' });
    await rowsWithStatus(page, 'Uploaded').filter({ hasText: 'pasted.png' }).waitFor({ timeout: 20_000 });
    const stored = await session.stack.objects();
    expect(stored.map((object) => object.key.split('/').at(-1)).sort()).toEqual(['dropped.txt', 'pasted.png']);
  });

  it('works with the keyboard alone, and the live region announces the result', async () => {
    await page.keyboard.press('Tab'); // English
    await page.keyboard.press('Tab'); // 简体中文
    await page.keyboard.press('Tab'); // Title
    await page.keyboard.type('Keyboard only');
    await page.keyboard.press('Tab'); // Description
    await page.keyboard.type('Filed without a mouse.');
    await page.keyboard.press('Tab'); // drop zone
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Attach files');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');

    // Enter and Space must open the file dialog, i.e. click the file input. (Counted in the page:
    // Playwright's file-chooser interception races with key presses under load.)
    await page.evaluate(() => {
      const input = document.querySelector('input[type=file]') as HTMLInputElement;
      (window as unknown as { dialogOpens: number }).dialogOpens = 0;
      input.addEventListener('click', (event) => {
        (window as unknown as { dialogOpens: number }).dialogOpens += 1;
        event.preventDefault();
      });
    });
    const dialogOpens = () => page.evaluate(() => (window as unknown as { dialogOpens: number }).dialogOpens);
    await page.keyboard.press('Enter');
    await expect.poll(dialogOpens).toBe(1);
    await page.keyboard.press('Space');
    await expect.poll(dialogOpens).toBe(2);
    await fileInput(page).setInputFiles(toPayload([makeTestFile('keyboard.txt', 2_000, 'text/plain')]));
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'keyboard.txt uploaded.' }).count()).toBe(1);

    // Tab past the drop zone and the row's Remove button to Submit, and press Enter.
    await page.getByRole('button', { name: 'Remove keyboard.txt' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Submit ticket');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard only' }).waitFor();
  });

  it('announces rejections and failures with their reason', async () => {
    await session.stack.setFaults({ failureRate: 1, failureStatus: 403 });
    await fileInput(page).setInputFiles(
      toPayload([makeTestFile('big.zip', 2_097_153, 'application/zip'), makeTestFile('denied.txt', 10, 'text/plain')]),
    );
    const status = page.getByRole('status').filter({ hasText: 'big.zip was not attached' });
    await status.waitFor();
    expect(await status.innerText()).toContain('larger than the size limit');
    await page.getByRole('status').filter({ hasText: 'denied.txt failed' }).waitFor({ timeout: 20_000 });
  });

  it('switches every string to 简体中文', async () => {
    await page.getByRole('button', { name: '简体中文' }).click();
    await page.getByRole('heading', { name: '新建工单' }).waitFor();
    await page.getByRole('button', { name: '添加附件' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('选择要添加的附件').setInputFiles(toPayload([makeTestFile('日志.txt', 100, 'text/plain')]));
    await page.getByRole('list', { name: '附件' }).getByText('已上传').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: '移除 日志.txt' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/demo-zh-CN.png`, fullPage: true });
  });

  it('has no axe violations in the empty, busy, failed and submitted states, at 1280 and 375 px', async () => {
    const check = async (state: string) => {
      const violations = await runAxe(page);
      expect(violations, `${state}:\n${formatViolations(violations)}`).toEqual([]);
    };
    await check('empty form');
    await session.stack.setFaults({ failureRate: 1, failureStatus: 500 });
    await fileInput(page).setInputFiles(toPayload([makePng('photo.png'), makeTestFile('huge.pdf', 2_097_153, 'application/pdf')]));
    await page.getByRole('button', { name: 'Retry photo.png' }).waitFor({ timeout: 20_000 });
    await check('failed file and rejection list');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: `${SCREENSHOTS}/demo-failed-375.png`, fullPage: true });
    await check('narrow viewport');
    await session.stack.setFaults({ failureRate: 0 });
    await page.getByRole('button', { name: 'Retry photo.png' }).click();
    await rowsWithStatus(page, 'Uploaded').waitFor({ timeout: 20_000 });
    await page.getByLabel('Description').fill('axe');
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.getByRole('link', { name: 'photo.png' }).waitFor();
    await check('submitted ticket');
  });
});
