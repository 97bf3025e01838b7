/**
 * Bundle cost of the library (issue 6 §1, issue 14 §2): `src/index.ts` and three slices of it (the
 * component, the headless hook, the framework-free core) bundled with rolldown, minified, gzipped at
 * level 9. Deterministic (no browser, no timing), so `npm run check:size` can enforce budgets.
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

/**
 * The slices of the library an app can ship (issue 14 §2), each a virtual entry module re-exporting from
 * src/, bundled with every peer external. Only what the entry loads eagerly counts: a chunk behind a
 * dynamic `import()` (the lazy image-shrinking and presigned PUT chunks) is reported apart.
 */
/** The presigned PUT modes: a lazy chunk (src/react/presignedPutModes.ts), never in the eager code of the component or the hook. */
const PRESIGNED_PUT_MODULES = [
  'src/react/presignedPutModes.ts',
  'src/react/uploadUrlMutation.ts',
  'src/core/presignedPutStrategy.ts',
  'src/core/relayUploadStrategy.ts',
  'src/core/putObject.ts',
  'src/core/relayPutObject.ts',
  'src/core/parseAttachmentUploadUrl.ts',
] as const;

export const SLICES = {
  full: {
    exports: { 'src/index.ts': ['TicketAttachmentUploader'] },
    forbidden: PRESIGNED_PUT_MODULES,
  },
  hook: {
    exports: { 'src/index.ts': ['useTicketAttachmentUpload'] },
    // No rows, no messages: a custom UI brings its own.
    forbidden: ['src/components/', ...PRESIGNED_PUT_MODULES],
  },
  core: {
    exports: { 'src/core/createUploadQueue.ts': ['createUploadQueue'], 'src/core/parseOssAuthorization.ts': ['parseOssAuthorization'] },
    // Framework-free: no hook, no component, no package import at all.
    forbidden: ['src/react/', 'src/components/', 'node_modules/', 'import:'],
  },
} as const satisfies Record<string, { exports: Record<string, readonly string[]>; forbidden: readonly string[] }>;
export type SliceName = keyof typeof SLICES;

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

export interface SliceSize extends SizeFigure {
  /** gzip -9 bytes of each chunk loaded only through a dynamic `import()` (not counted above). */
  lazyChunks: { name: string; gzip: number }[];
}

export interface SliceReport extends SliceSize {
  /** Modules in the eagerly loaded code, largest rendered share first. */
  modules: { module: string; renderedInBundle: number; share: number }[];
  /** Modules and package imports (`import:react`) the slice must not have (SLICES[name].forbidden) but has. */
  forbiddenModules: string[];
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
  /** The slices of issue 14 §2, every peer (react-dropzone included) external. */
  slices: Record<SliceName, SliceReport>;
}

export const gzipBytes = (text: string | Uint8Array): number => gzipSync(text, { level: 9 }).length;

interface BundleResult {
  /** The entry chunk and every chunk it imports statically. */
  code: string;
  modules: { id: string; renderedLength: number }[];
  /** Chunks reached only through a dynamic `import()`. */
  lazyChunks: { name: string; code: string }[];
  /** Packages the eager code imports (left external). */
  externalImports: string[];
}

const VIRTUAL_ENTRY = '\0bundle-size-entry';

async function bundle(input: string | { source: string }, external: ExternalOption): Promise<BundleResult> {
  const result = await build({
    input: typeof input === 'string' ? input : VIRTUAL_ENTRY,
    external,
    write: false,
    logLevel: 'silent',
    output: { format: 'esm', minify: true },
    plugins:
      typeof input === 'string'
        ? []
        : [
            {
              name: 'bundle-size-entry',
              resolveId: (id) => (id === VIRTUAL_ENTRY ? id : null),
              load: (id) => (id === VIRTUAL_ENTRY ? input.source : null),
            },
          ],
  });
  const chunks = result.output.filter((item) => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const eager = new Set<string>();
  const visit = (fileName: string): void => {
    const chunk = byName.get(fileName);
    if (!chunk || eager.has(fileName)) return;
    eager.add(fileName);
    chunk.imports.forEach(visit);
  };
  chunks.filter((chunk) => chunk.isEntry).forEach((chunk) => visit(chunk.fileName));
  const eagerChunks = chunks.filter((chunk) => eager.has(chunk.fileName));
  return {
    code: eagerChunks.map((chunk) => chunk.code).join('\n'),
    modules: eagerChunks.flatMap((chunk) =>
      Object.entries(chunk.modules).map(([id, info]) => ({ id, renderedLength: info.renderedLength })),
    ),
    lazyChunks: chunks.filter((chunk) => !eager.has(chunk.fileName)).map((chunk) => ({ name: chunk.fileName, code: chunk.code })),
    externalImports: [...new Set(eagerChunks.flatMap((chunk) => chunk.imports.filter((id) => !byName.has(id))))],
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

const withoutVirtual = (modules: BundleResult['modules']): BundleResult['modules'] =>
  modules.filter((item) => !item.id.startsWith('\0') && item.renderedLength > 0);

/** One slice: its eager size, its lazy chunks apart, and its modules by rendered share. */
export async function measureSlice(name: SliceName): Promise<SliceReport> {
  const source = Object.entries(SLICES[name].exports)
    .map(([file, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(path.join(repoRoot, file))};`)
    .join('\n');
  const result = await bundle({ source }, [...PEERS, DROPZONE]);
  const modules = withoutVirtual(result.modules);
  const total = modules.reduce((sum, item) => sum + item.renderedLength, 0);
  const moduleReports = modules
    .map((item) => ({ module: relative(item.id), renderedInBundle: item.renderedLength, share: item.renderedLength / total }))
    .sort((a, b) => b.renderedInBundle - a.renderedInBundle);
  const present = [...moduleReports.map((item) => item.module), ...result.externalImports.map((id) => `import:${id}`)];
  const forbidden: readonly string[] = SLICES[name].forbidden;
  return {
    ...figure(result.code),
    lazyChunks: result.lazyChunks.map((chunk) => ({ name: chunk.name, gzip: gzipBytes(chunk.code) })),
    modules: moduleReports,
    forbiddenModules: present.filter((module) => forbidden.some((prefix) => module.startsWith(prefix))),
  };
}

const sliceNames = Object.keys(SLICES) as SliceName[];

async function measureSlices(): Promise<Record<SliceName, SliceReport>> {
  const reports = await Promise.all(sliceNames.map(measureSlice));
  return Object.fromEntries(sliceNames.map((name, index) => [name, reports[index]])) as Record<SliceName, SliceReport>;
}

/** (a), (b), (c) and the slices: what the budgets guard (fast, no per-module builds). */
export async function measureBudgetedSizes(): Promise<Omit<BundleSizeReport, 'modules'>> {
  const [own, withDropzone, css, slices] = await Promise.all([
    bundle(entry, [...PEERS, DROPZONE]),
    bundle(entry, PEERS),
    readFile(stylesheet),
    measureSlices(),
  ]);
  return { own: figure(own.code), withDropzone: figure(withDropzone.code), css: { raw: css.length, gzip: gzipBytes(css) }, slices };
}

export async function measureBundleSize(): Promise<BundleSizeReport> {
  const own = await bundle(entry, [...PEERS, DROPZONE]);
  const withDropzone = await bundle(entry, PEERS);
  const css = await readFile(stylesheet);

  const sources = await listSourceModules(path.join(repoRoot, 'src'));
  const alone = new Map<string, number>();
  for (const file of sources) alone.set(relative(file), await measureModuleAlone(file));

  const totalRendered = withDropzone.modules.reduce((sum, item) => sum + item.renderedLength, 0);
  const modules: ModuleSize[] = withoutVirtual(withDropzone.modules).map((item) => {
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
    slices: await measureSlices(),
  };
}
