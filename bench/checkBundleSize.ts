/**
 * `npm run check:size`: fails (exit 1) when a minified+gzip size exceeds its budget in
 * bench/bundleBudgets.json or a slice pulls in what it must not (the hook rows or messages, the core React),
 * and prints each figure beside its target (met or missed). Deterministic: no
 * browser, no timing. `npm run check:size -- --modules` adds each slice's largest modules.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { measureBudgetedSizes, measureSlice, repoRoot, SLICES, type SliceName } from './bundleSize';

export interface BundleBudget {
  label: string;
  budgetBytes: number;
  targetBytes: number;
}

export interface BundleBudgets {
  own: BundleBudget;
  withDropzone: BundleBudget;
  /** The slices of issue 14 §2 (bench/bundleSize.ts SLICES). */
  slices: Record<SliceName, BundleBudget>;
}

function isBudget(value: unknown): value is BundleBudget {
  if (typeof value !== 'object' || value === null) return false;
  const { label, budgetBytes, targetBytes } = value as Record<string, unknown>;
  return typeof label === 'string' && Number.isSafeInteger(budgetBytes) && Number.isSafeInteger(targetBytes);
}

const sliceNames = Object.keys(SLICES) as SliceName[];

export async function readBundleBudgets(): Promise<BundleBudgets> {
  const file = path.join(repoRoot, 'bench/bundleBudgets.json');
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const { own, withDropzone, slices } = (parsed ?? {}) as Record<string, unknown>;
  const sliceBudgets = (slices ?? {}) as Record<string, unknown>;
  if (!isBudget(own) || !isBudget(withDropzone) || !sliceNames.every((name) => isBudget(sliceBudgets[name])))
    throw new Error(
      `${file}: expected { own, withDropzone, slices: { ${sliceNames.join(', ')} } } each with label, budgetBytes, targetBytes.`,
    );
  return { own, withDropzone, slices: sliceBudgets as Record<SliceName, BundleBudget> };
}

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(2)} KB`;

async function main(): Promise<void> {
  const showModules = process.argv.includes('--modules');
  const [budgets, sizes] = await Promise.all([readBundleBudgets(), measureBudgetedSizes()]);
  const rows = [
    { budget: budgets.own, gzip: sizes.own.gzip, lazy: [] as { name: string; gzip: number }[], name: undefined },
    { budget: budgets.withDropzone, gzip: sizes.withDropzone.gzip, lazy: [], name: undefined },
    ...sliceNames.map((name) => ({
      budget: budgets.slices[name],
      gzip: sizes.slices[name].gzip,
      lazy: sizes.slices[name].lazyChunks,
      name,
    })),
  ];
  let failed = false;
  console.log('Bundle size (rolldown, minified, gzip -9; 1 KB = 1000 bytes; slices: every peer external)');
  for (const { budget, gzip, lazy, name } of rows) {
    const overBudget = gzip > budget.budgetBytes;
    failed ||= overBudget;
    const verdict = overBudget ? 'FAIL (over budget)' : 'ok';
    const target =
      gzip <= budget.targetBytes
        ? `target ${kb(budget.targetBytes)} met`
        : `target ${kb(budget.targetBytes)} missed by ${kb(gzip - budget.targetBytes)}`;
    console.log(`  ${budget.label}\n    ${kb(gzip)} (${gzip} B)  budget ${kb(budget.budgetBytes)}  ${verdict}  | ${target}`);
    for (const chunk of lazy) console.log(`    + lazy chunk ${chunk.name}: ${kb(chunk.gzip)} (not counted)`);
    const forbidden = name ? sizes.slices[name].forbiddenModules : [];
    if (forbidden.length > 0) {
      failed = true;
      console.log(`    FAIL: must not include ${forbidden.join(', ')} (bench/bundleSize.ts SLICES)`);
    }
    if (showModules && name) {
      const { modules } = await measureSlice(name);
      for (const item of modules.slice(0, 12))
        console.log(`      ${(item.share * 100).toFixed(1).padStart(5)} %  ${String(item.renderedInBundle).padStart(6)} B  ${item.module}`);
    }
  }
  if (failed) {
    console.error(
      '\nA bundle grew past its budget (bench/bundleBudgets.json) or a slice pulled in a forbidden module. Shrink it, or raise the budget on purpose in the same change.',
    );
    process.exitCode = 1;
  }
}

// Imported by bench/run.ts for readBundleBudgets: only run when executed directly.
if (process.argv[1] && path.resolve(process.argv[1]) === path.join(repoRoot, 'bench/checkBundleSize.ts')) await main();
