import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export const CHROMIUM_INSTALL_HINT =
  'Real-browser tests need Chromium. Install it with `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or point CHROMIUM_PATH at a Chromium or Chrome binary. `npx playwright install` is not required (playwright-core drives the system browser).';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH`, then `/usr/bin/chromium`, then
 * `chromium-browser` / `google-chrome` on PATH. Throws (never skips) with the install command.
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file. ${CHROMIUM_INSTALL_HINT}`);
  }
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of CANDIDATES) {
    const found = onPath(name);
    if (found) return found;
  }
  throw new Error(`No Chromium found. ${CHROMIUM_INSTALL_HINT}`);
}
