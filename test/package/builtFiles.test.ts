import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_KEY_SECRET } from '../../server/oss-emulator/ossEmulator';

// Runs after `npm run build` (npm test builds first). What ships to browsers must hold no secret and
// no signing code: only the policy and its signature ever reach the page.
const DIST = new URL('../../dist/', import.meta.url).pathname;

async function browserFiles(): Promise<string[]> {
  const entries = await readdir(DIST, { recursive: true });
  return entries.filter((entry) => !entry.startsWith('server') && /\.(js|css|d\.ts)$/.test(entry)).map((entry) => join(DIST, entry));
}

describe('built browser files', () => {
  it('exist (the build ran)', async () => {
    const files = await browserFiles();
    expect(files.map((file) => file.slice(DIST.length))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'styles.css']));
  });

  it('contain no emulator secret, no signing code and nothing from server/', async () => {
    for (const file of await browserFiles()) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain(DEFAULT_ACCESS_KEY_SECRET);
      expect(text, file).not.toMatch(/createHmac|node:crypto|accessKeySecret|busboy|signOssPolicy|createOssTempAuthorization/);
    }
  });

  it('import only the declared peer and regular dependencies, and chunks that ship beside them', async () => {
    // The lazy chunks (image shrinking, presigned PUT modes) and what they share with index.js are
    // files of dist/: every relative import must be one of them.
    const packages = new Set<string>();
    for (const file of (await browserFiles()).filter((name) => name.endsWith('.js'))) {
      const code = await readFile(file, 'utf8');
      for (const [, specifier = ''] of code.matchAll(/(?:from\s*|import\s*\(\s*)["']([^"']+)["']/g)) {
        if (specifier.startsWith('./')) expect(existsSync(join(dirname(file), specifier)), `${file} imports ${specifier}`).toBe(true);
        else packages.add(specifier);
      }
    }
    expect(packages).toEqual(new Set(['react', 'react/jsx-runtime', 'react-dropzone', '@tanstack/react-query']));
  });

  it('keep the signer in the separate server entry', async () => {
    const server = await readFile(join(DIST, 'server/index.js'), 'utf8');
    expect(server).toMatch(/createHmac/);
    expect(server).not.toContain(DEFAULT_ACCESS_KEY_SECRET);
  });
});
