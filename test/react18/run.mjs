// React 18 must keep working (peer range ^18 || ^19) while the repo develops on React 19: pack the
// library, install it with React 18 in a scratch project (from the npm registry or its cache), and
// run smoke.mjs there. `npm run test:react18`; CI runs it after `npm test`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const versions = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies;
const scratch = mkdtempSync(join(tmpdir(), 'taup-react18-'));
try {
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1);
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'react18-smoke', private: true, type: 'module' }));
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      'react@18.3.1',
      'react-dom@18.3.1',
      `@tanstack/react-query@${versions['@tanstack/react-query']}`,
      `jsdom@${versions.jsdom}`,
      `./${tarball}`,
    ],
    { cwd: scratch, stdio: 'inherit' },
  );
  copyFileSync(new URL('./smoke.mjs', import.meta.url), join(scratch, 'smoke.mjs'));
  execFileSync(process.execPath, ['smoke.mjs'], { cwd: scratch, stdio: 'inherit' });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
