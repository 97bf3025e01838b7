import type { Page } from 'playwright-core';
import type { HarnessRecord } from '../harness/harness';
import type { DemoStack } from './demoStack';

/** Opens the bare uploader harness (test/browser/harness) with options from the query string. */
export async function openHarness(page: Page, stack: DemoStack, options: Record<string, string | number> = {}): Promise<void> {
  const query = new URLSearchParams(Object.entries(options).map(([name, value]) => [name, String(value)]));
  await page.goto(`${stack.appUrl}/test/browser/harness/index.html?${query}`);
  await page.getByRole('button', { name: options.locale === 'zh-CN' ? '添加附件' : 'Attach files' }).waitFor();
}

export function harnessRecord(page: Page): Promise<HarnessRecord> {
  return page.evaluate(() => window.harness);
}
