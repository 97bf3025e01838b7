/**
 * `npm run check:size`: fails (exit 1) when the library's minified+gzip size exceeds the budgets in
 * bench/bundleBudgets.json. Deterministic: no browser, no timing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { measureBudgetedSizes, repoRoot } from './bundleSize';

export interface BundleBudget {
  label: string;
  budgetBytes: number;
  targetBytes: number;
}

export interface BundleBudgets {
  own: BundleBudget;
  withDropzone: BundleBudget;
}

function isBudget(value: unknown): value is BundleBudget {
  if (typeof value !== 'object' || value === null) return false;
  const { label, budgetBytes, targetBytes } = value as Record<string, unknown>;
  return typeof label === 'string' && Number.isSafeInteger(budgetBytes) && Number.isSafeInteger(targetBytes);
}

export async function readBundleBudgets(): Promise<BundleBudgets> {
  const file = path.join(repoRoot, 'bench/bundleBudgets.json');
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const { own, withDropzone } = (parsed ?? {}) as Record<string, unknown>;
  if (!isBudget(own) || !isBudget(withDropzone))
    throw new Error(`${file}: expected { own, withDropzone } each with label, budgetBytes, targetBytes.`);
  return { own, withDropzone };
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(2)} KB`;

async function main(): Promise<void> {
  const [budgets, sizes] = await Promise.all([readBundleBudgets(), measureBudgetedSizes()]);
  const rows = [
    { budget: budgets.own, gzip: sizes.own.gzip },
    { budget: budgets.withDropzone, gzip: sizes.withDropzone.gzip },
  ];
  let failed = false;
  console.log('Bundle size (rolldown, minified, gzip -9; 1 KB = 1000 bytes)');
  for (const { budget, gzip } of rows) {
    const overBudget = gzip > budget.budgetBytes;
    failed ||= overBudget;
    const verdict = overBudget ? 'FAIL (over budget)' : 'ok';
    const target =
      gzip <= budget.targetBytes ? 'target met' : `target ${kb(budget.targetBytes)} missed by ${kb(gzip - budget.targetBytes)}`;
    console.log(`  ${budget.label}\n    ${kb(gzip)} (${gzip} B)  budget ${kb(budget.budgetBytes)}  ${verdict}  | ${target}`);
  }
  if (failed) {
    console.error(
      '\nA bundle grew past its budget (bench/bundleBudgets.json). Shrink it, or raise the budget on purpose in the same change.',
    );
    process.exitCode = 1;
  }
}

await main();
