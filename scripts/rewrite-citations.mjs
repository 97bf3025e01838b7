#!/usr/bin/env node
// One-off migration: comments and test names used to cite sections of an outside protocol document as
// `ref §N`. The same facts now live in docs/oss-protocol.md under the same section numbers and headings,
// so every `ref §N` becomes `docs/oss-protocol.md §N` (the rest of the citation, such as `§1–§4`,
// `§6 / §8`, `§4 "Codes for this flow"` or `§2, I5`, stays as it is and still resolves there).
// It also removes the last pointer to the team's private notes.
//
// Usage: node scripts/rewrite-citations.mjs [root]   (root defaults to the repository)
// Idempotent: a second run changes nothing and reports 0. test/docs/citations.test.ts checks the result.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SCANNED_DIRS = ['src', 'server', 'test', 'bench', 'stories', 'demo', '.storybook'];
const TEXT_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.md', '.html', '.css']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'storybook-static', 'test-results', 'coverage', '.git']);

const OSS_PROTOCOL = 'docs/oss-protocol.md';

/** Each rule: a pattern and its replacement (text, or a function of the match); applied in order. */
const rules = [
  // The one citation of a bare source key: the fact (an empty `conditions` list gets the
  // Simple-Condition message) is stated in §2 "Policy JSON", with S3 as its source.
  {
    name: 'ref S3 troubleshooting',
    pattern: /\bref S3 troubleshooting\b/g,
    replacement: `${OSS_PROTOCOL} §2 "Policy JSON" (S3, troubleshooting)`,
  },
  // Any other bare source key (none today): the keys are defined in the Sources lists of the same document.
  { name: 'ref S<n>', pattern: /\bref ((?:S|I)\d+b?)\b/g, replacement: (_match, key) => `${OSS_PROTOCOL} source ${key}` },
  // The section citations themselves, in every shape: `ref §1`, `(ref §1)`, `ref §1.`, `ref §1–§4`,
  // `ref §1/§4`, `ref §6 / §8`, `ref §4 "Codes for this flow"`, `ref §4: "Policy expired"`, `(ref §2, I5)`.
  { name: 'ref §N', pattern: /\bref §/g, replacement: `${OSS_PROTOCOL} §` },
  // A comment that named the private notes as its source; the comment explains the pitfall itself.
  { name: 'private notes path', pattern: / \((?:\.\.\/|\/work\/)?shared\/reference\/[\w.-]+\)/g, replacement: '' },
];

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    const stats = statSync(path);
    if (stats.isDirectory()) yield* walk(path);
    else if (stats.isFile() && TEXT_EXTENSIONS.has(extname(name))) yield path;
  }
}

const counts = new Map(rules.map((rule) => [rule.name, 0]));
let filesChanged = 0;
for (const dir of SCANNED_DIRS) {
  for (const path of walk(join(root, dir))) {
    const before = readFileSync(path, 'utf8');
    let after = before;
    for (const rule of rules) {
      after = after.replace(rule.pattern, (...match) => {
        counts.set(rule.name, counts.get(rule.name) + 1);
        return typeof rule.replacement === 'function' ? rule.replacement(...match) : rule.replacement;
      });
    }
    if (after !== before) {
      writeFileSync(path, after);
      filesChanged += 1;
      console.log(`  ${relative(root, path)}`);
    }
  }
}

const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
for (const [name, count] of counts) console.log(`${name}: ${count}`);
console.log(`rewrote ${total} citation(s) in ${filesChanged} file(s)`);
