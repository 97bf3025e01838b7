import { createRequire } from 'node:module';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The browser build of the installed axe-core (nothing is fetched from a CDN). */
export const AXE_SCRIPT_PATH = require.resolve('axe-core/axe.min.js');

/** Loads axe-core into the page, once per document. */
export async function injectAxe(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: AXE_SCRIPT_PATH });
}

/**
 * Runs axe in the page and returns its violations. `selector` limits the check to one subtree
 * (e.g. a Storybook canvas); without it the whole document is checked.
 */
export async function runAxe(page: Page, selector?: string, options: RunOptions = {}): Promise<Result[]> {
  await injectAxe(page);
  const results = await page.evaluate(
    async ({ selector: include, options: runOptions }) => {
      const { axe } = window as unknown as { axe: { run(context: unknown, options: RunOptions): Promise<AxeResults> } };
      return axe.run(include ? { include: [include] } : document, runOptions);
    },
    { selector, options },
  );
  return results.violations;
}

/** One block per violation: rule id, impact and help, then each offending node's selector, markup and fix. */
export function formatViolations(violations: readonly Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `    ${node.target.join(' ')}\n      ${node.html}\n      ${(node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ')}`)
        .join('\n');
      return `  [${violation.id}] (${violation.impact ?? 'n/a'}) ${violation.help} (${violation.helpUrl})\n${nodes}`;
    })
    .join('\n');
}
