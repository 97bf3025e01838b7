/**
 * Every ```ts / ```tsx block of README.md compiles as pasted: each block becomes its own module
 * (in memory, next to this file), with `ticket-attachment-uploader` mapped to src/index.ts and
 * `ticket-attachment-uploader/server` to server/index.ts, and the TypeScript checker runs over
 * them with strict settings. Blocks are self-contained: they show their imports and declare what
 * they use, so there is no ambient prelude. A failure names the README line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readmePath = path.join(repoRoot, 'README.md');

interface Snippet {
  /** 1-based README line of the block's first code line. */
  line: number;
  language: 'ts' | 'tsx';
  code: string;
}

/** The ```ts and ```tsx blocks of a Markdown text, with the line each starts on. */
function extractSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^```(tsx?)\s*$/.exec(lines[index] ?? '');
    if (!open) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end += 1;
    snippets.push({ line: start + 1, language: open[1] as 'ts' | 'tsx', code: lines.slice(start, end).join('\n') });
    index = end;
  }
  return snippets;
}

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  noUncheckedIndexedAccess: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  baseUrl: repoRoot,
  paths: {
    'ticket-attachment-uploader': ['src/index.ts'],
    'ticket-attachment-uploader/server': ['server/index.ts'],
  },
};

/** Type errors of each snippet, as `README.md:<line>: <message>`. */
function typecheckSnippets(snippets: readonly Snippet[]): string[] {
  const virtual = new Map<string, Snippet>();
  snippets.forEach((snippet) => virtual.set(path.join(repoRoot, 'test/docs', `readme-line-${snippet.line}.${snippet.language}`), snippet));
  const host = ts.createCompilerHost(compilerOptions, true);
  const { getSourceFile, fileExists, readFile } = host;
  // A block without import or export would be a script sharing one scope with the others.
  const moduleText = (snippet: Snippet) => (/^\s*(import|export)\s/m.test(snippet.code) ? snippet.code : `${snippet.code}\nexport {};\n`);
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => {
    const snippet = virtual.get(file);
    return snippet ? moduleText(snippet) : readFile.call(host, file);
  };
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const snippet = virtual.get(file);
    if (snippet)
      return ts.createSourceFile(
        file,
        moduleText(snippet),
        languageVersion,
        true,
        snippet.language === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
      );
    return getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([...virtual.keys()], compilerOptions, host);
  const errors: string[] = [];
  for (const [file, snippet] of virtual) {
    const source = program.getSourceFile(file);
    for (const diagnostic of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const offset = diagnostic.start === undefined || !source ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
      errors.push(`README.md:${snippet.line + offset}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    }
  }
  return errors;
}

describe('README code blocks', () => {
  const snippets = extractSnippets(readFileSync(readmePath, 'utf8'));

  it('has TypeScript blocks to check', () => {
    expect(snippets.filter((snippet) => snippet.language === 'tsx').length).toBeGreaterThan(0);
    expect(snippets.filter((snippet) => snippet.language === 'ts').length).toBeGreaterThan(0);
  });

  it('compile as pasted (each block its own module, the package names mapped to src/ and server/)', () => {
    expect(typecheckSnippets(snippets)).toEqual([]);
  }, 120_000); // one TypeScript program over React's and Node's types: seconds on a busy machine

  it('report a block that does not compile with its README line', () => {
    const broken = extractSnippets(
      [
        '# t',
        '',
        '```tsx',
        "import { TicketAttachmentUploader } from 'ticket-attachment-uploader';",
        '',
        'export const x = <TicketAttachmentUploader value={[]} />;',
        '```',
      ].join('\n'),
    );
    const errors = typecheckSnippets(broken);
    expect(errors).toHaveLength(1);
    // The props are a union of the three upload modes: the message names a mode prop that is missing.
    expect(errors[0]).toMatch(/^README\.md:6: [\s\S]*(fetchAuthorization|fetchUploadUrl|uploadRelayUrl)/);
  }, 120_000);
});
