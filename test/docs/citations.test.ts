import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every protocol citation in the code must resolve inside the repository (docs/README.md, "Citation
 * convention"): `docs/<file>.md §N` names an existing file and section, a quoted heading after `§N` is a
 * heading of that section, and a quotation after `§N:` is text of that section. Nothing may cite the
 * outside document the project started from.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED_DIRS = ['src', 'server', 'test', 'bench', 'stories', 'demo', '.storybook', 'docs'];
const TEXT_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.md', '.html', '.css']);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'storybook-static', 'test-results', 'coverage']);

// Built from pieces so that this file does not match its own checks.
const OUTSIDE_CITATION = new RegExp(String.raw`\bref (?:\u00a7|S\d)`);
const PRIVATE_NOTES = ['shared', 'reference'].join('/');

interface SourceFile {
  path: string;
  text: string;
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED_DIRS.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path);
    return TEXT_EXTENSIONS.has(extname(name)) ? [path] : [];
  });
}

const sourceFiles: SourceFile[] = SCANNED_DIRS.flatMap((dir) => listFiles(join(ROOT, dir))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** Lower case, no Markdown emphasis or code marks, single spaces, no trailing colon. */
function normalize(text: string): string {
  return text.replace(/[`*]/g, '').replace(/\s+/g, ' ').trim().replace(/:$/, '').toLowerCase();
}

interface DocSection {
  text: string;
  headings: Set<string>;
}

/** `## §N Title` starts section N; `###`… headings and `**bold labels**` at line start are its headings. */
function parseSections(markdown: string): Map<number, DocSection> {
  const sections = new Map<number, DocSection>();
  let current: DocSection | undefined;
  for (const line of markdown.split('\n')) {
    const sectionStart = /^## §(\d+)\b/.exec(line);
    if (sectionStart) {
      current = { text: '', headings: new Set() };
      sections.set(Number(sectionStart[1]), current);
      continue;
    }
    if (/^## /.test(line)) {
      current = undefined;
      continue;
    }
    if (!current) continue;
    current.text += `${line}\n`;
    const heading = /^#{3,6} (.+)$/.exec(line) ?? /^\s*(?:[-*] )?\*\*(.+?)\*\*/.exec(line);
    if (heading?.[1]) current.headings.add(normalize(heading[1]));
  }
  return sections;
}

interface Citation {
  file: string;
  doc: string;
  section?: number;
  heading?: string;
  quote?: string;
}

/**
 * Reads the citations starting at each `docs/<name>.md`: section numbers joined by `, ` ` / ` `/` or a
 * `–` range, each optionally followed by ` "Heading"` (more after `, "…"`) or by `: "quotation"`.
 */
function findCitations(file: SourceFile): Citation[] {
  const citations: Citation[] = [];
  for (const match of file.text.matchAll(/docs\/([\w.-]+\.md)`?/g)) {
    const doc = match[1] as string;
    let rest = file.text.slice((match.index ?? 0) + match[0].length);
    let section = /^ §(\d+)(?:[–-]§(\d+))?/.exec(rest);
    if (!section) citations.push({ file: file.path, doc });
    while (section) {
      rest = rest.slice(section[0].length);
      const first = Number(section[1]);
      const last = section[2] === undefined ? first : Number(section[2]);
      for (let number = first; number <= last; number += 1) citations.push({ file: file.path, doc, section: number });
      const headings = /^ "([^"\n]+)"((?:, "[^"\n]+")*)/.exec(rest);
      if (headings) {
        const more = [...(headings[2] ?? '').matchAll(/"([^"\n]+)"/g)].map((quoted) => quoted[1] as string);
        for (const heading of [headings[1] as string, ...more]) citations.push({ file: file.path, doc, section: last, heading });
        rest = rest.slice(headings[0].length);
      }
      const quotation = /^: "([^"\n]+)"/.exec(rest);
      if (quotation) {
        citations.push({ file: file.path, doc, section: last, quote: quotation[1] as string });
        rest = rest.slice(quotation[0].length);
      }
      section = /^(?:, | \/ |\/)§(\d+)(?:[–-]§(\d+))?/.exec(rest);
    }
  }
  return citations;
}

const citations = sourceFiles.flatMap(findCitations);
const docs = new Map<string, Map<number, DocSection> | undefined>();
function sectionsOf(doc: string): Map<number, DocSection> | undefined {
  if (!docs.has(doc)) {
    const path = join(ROOT, 'docs', doc);
    docs.set(doc, existsSync(path) ? parseSections(readFileSync(path, 'utf8')) : undefined);
  }
  return docs.get(doc);
}

function describeCitation(citation: Citation): string {
  const where = citation.section === undefined ? '' : ` §${citation.section}`;
  const what = citation.heading !== undefined ? ` "${citation.heading}"` : citation.quote !== undefined ? `: "${citation.quote}"` : '';
  return `${citation.file}: docs/${citation.doc}${where}${what}`;
}

/** The quotation's words appear in the section in order; `…` stands for words left out. */
function sectionQuotes(section: DocSection, quote: string): boolean {
  const text = normalize(section.text);
  let from = 0;
  for (const piece of quote
    .split(/…|\.\.\./)
    .map(normalize)
    .filter(Boolean)) {
    const at = text.indexOf(piece, from);
    if (at < 0) return false;
    from = at + piece.length;
  }
  return true;
}

describe('protocol citations resolve inside the repository (docs/README.md)', () => {
  it('finds the citations to check in the code and tests', () => {
    expect(citations.filter((citation) => citation.section !== undefined && !citation.file.startsWith('docs/')).length).toBeGreaterThan(
      100,
    );
  });

  it('cites only documents that exist in docs/', () => {
    const missing = citations.filter((citation) => sectionsOf(citation.doc) === undefined).map(describeCitation);
    expect(missing).toEqual([]);
  });

  it('cites only sections that exist in the cited document', () => {
    const missing = citations
      .filter((citation) => citation.section !== undefined && sectionsOf(citation.doc)?.has(citation.section) === false)
      .map(describeCitation);
    expect(missing).toEqual([]);
  });

  it('quotes headings that exist within the cited section', () => {
    const missing = citations
      .filter((citation) => {
        if (citation.heading === undefined || citation.section === undefined) return false;
        const section = sectionsOf(citation.doc)?.get(citation.section);
        return section !== undefined && !section.headings.has(normalize(citation.heading));
      })
      .map(describeCitation);
    expect(missing).toEqual([]);
  });

  it('quotes text that the cited section contains', () => {
    const missing = citations
      .filter((citation) => {
        if (citation.quote === undefined || citation.section === undefined) return false;
        const section = sectionsOf(citation.doc)?.get(citation.section);
        return section !== undefined && !sectionQuotes(section, citation.quote);
      })
      .map(describeCitation);
    expect(missing).toEqual([]);
  });

  it('leaves no citation of the outside reference document', () => {
    const offenders = sourceFiles
      .flatMap((file) => file.text.split('\n').map((line, index) => ({ file: file.path, line, number: index + 1 })))
      .filter(({ line }) => OUTSIDE_CITATION.test(line) || line.includes(PRIVATE_NOTES))
      .map(({ file, number, line }) => `${file}:${number}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
