/**
 * Bundle cost of the library (issue 6 §1): `src/index.ts` bundled with rolldown, minified, gzipped
 * at level 9. Deterministic (no browser, no timing), so `npm run check:size` can enforce budgets.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type ExternalOption } from 'rolldown';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(repoRoot, 'src/index.ts');
const stylesheet = path.join(repoRoot, 'src/components/styles.css');

/** Peers an app always has (react-query: the app's own instance, see vite.config.ts). */
const PEERS = [/^react($|\/)/, /^react-dom($|\/)/, /^@tanstack\/react-query($|\/)/];
const DROPZONE = /^react-dropzone($|\/)/;

export interface SizeFigure {
  /** Minified bytes. */
  minified: number;
  /** gzip -9 bytes of the minified output. */
  gzip: number;
}

export interface ModuleSize {
  /** Path relative to the repository (`src/core/postObject.ts`, `node_modules/react-dropzone/…`). */
  module: string;
  /** The module bundled alone (its own imports external), minified + gzip -9; null for dependencies. */
  aloneGzip: number | null;
  /** Bytes the module keeps in the full bundle after tree-shaking, before minification. */
  renderedInBundle: number;
  /** Share of the bundle's rendered bytes (0..1). */
  share: number;
}

export interface BundleSizeReport {
  /** (a) react, react-dom, @tanstack/react-query and react-dropzone external. */
  own: SizeFigure;
  /** (b) react, react-dom and @tanstack/react-query external; react-dropzone bundled. */
  withDropzone: SizeFigure;
  /** (c) `src/components/styles.css` as shipped (copied untouched to dist/styles.css). */
  css: { raw: number; gzip: number };
  /** Per-module breakdown of (b), largest share first. */
  modules: ModuleSize[];
}

export const gzipBytes = (text: string | Uint8Array): number => gzipSync(text, { level: 9 }).length;

interface BundleResult {
  code: string;
  modules: { id: string; renderedLength: number }[];
}

async function bundle(input: string, external: ExternalOption): Promise<BundleResult> {
  const result = await build({
    input,
    external,
    write: false,
    logLevel: 'silent',
    output: { format: 'esm', minify: true },
  });
  const chunks = result.output.filter((item) => item.type === 'chunk');
  return {
    code: chunks.map((chunk) => chunk.code).join('\n'),
    modules: chunks.flatMap((chunk) => Object.entries(chunk.modules).map(([id, info]) => ({ id, renderedLength: info.renderedLength }))),
  };
}

const figure = (code: string): SizeFigure => ({ minified: Buffer.byteLength(code), gzip: gzipBytes(code) });

async function listSourceModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((item) => {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) return listSourceModules(full);
      return Promise.resolve(/\.tsx?$/.test(item.name) && !item.name.endsWith('.d.ts') ? [full] : []);
    }),
  );
  return files.flat().sort();
}

/** One src module bundled alone: its relative imports and every package stay external. */
async function measureModuleAlone(file: string): Promise<number> {
  const { code } = await bundle(file, (_id, importer) => importer !== undefined);
  return gzipBytes(code);
}

const relative = (id: string): string => {
  const rel = path.relative(repoRoot, id).split(path.sep).join('/');
  return rel.replace(/^.*node_modules\//, 'node_modules/');
};

/** (a), (b) and (c) only: what the budgets guard (fast, no per-module builds). */
export async function measureBudgetedSizes(): Promise<Omit<BundleSizeReport, 'modules'>> {
  const [own, withDropzone, css] = await Promise.all([bundle(entry, [...PEERS, DROPZONE]), bundle(entry, PEERS), readFile(stylesheet)]);
  return { own: figure(own.code), withDropzone: figure(withDropzone.code), css: { raw: css.length, gzip: gzipBytes(css) } };
}

export async function measureBundleSize(): Promise<BundleSizeReport> {
  const own = await bundle(entry, [...PEERS, DROPZONE]);
  const withDropzone = await bundle(entry, PEERS);
  const css = await readFile(stylesheet);

  const sources = await listSourceModules(path.join(repoRoot, 'src'));
  const alone = new Map<string, number>();
  for (const file of sources) alone.set(relative(file), await measureModuleAlone(file));

  const totalRendered = withDropzone.modules.reduce((sum, item) => sum + item.renderedLength, 0);
  const modules: ModuleSize[] = withDropzone.modules
    .filter((item) => !item.id.startsWith('\0') && item.renderedLength > 0)
    .map((item) => {
      const module = relative(item.id);
      return {
        module,
        aloneGzip: alone.get(module) ?? null,
        renderedInBundle: item.renderedLength,
        share: item.renderedLength / totalRendered,
      };
    });
  // src modules tree-shaken away entirely (type-only modules) still get their "alone" figure.
  for (const [module, aloneGzip] of alone) {
    if (!modules.some((item) => item.module === module) && !module.endsWith('.d.ts'))
      modules.push({ module, aloneGzip, renderedInBundle: 0, share: 0 });
  }
  modules.sort((a, b) => b.renderedInBundle - a.renderedInBundle || (b.aloneGzip ?? 0) - (a.aloneGzip ?? 0));

  return {
    own: figure(own.code),
    withDropzone: figure(withDropzone.code),
    css: { raw: css.length, gzip: gzipBytes(css) },
    modules,
  };
}
