import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

// The Work Order modules the public server entry exports: what they load is what every user of
// `ticket-attachment-uploader/server` loads, signer-only users without pop-core included.
const PUBLIC_MODULES = ['workOrderClient.ts', 'workOrderApiError.ts', 'legacyWorkOrderEnvelope.ts', 'getOssTempAuthorHandler.ts', 'toNodeHandler.ts'];

it('load no emulator and no SDK statically: @alicloud/pop-core only through import() on first use', async () => {
  for (const file of PUBLIC_MODULES) {
    const source = await readFile(new URL(`../../../server/work-order/${file}`, import.meta.url), 'utf8');
    const valueImports = [...source.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map((match) => match[1]);
    for (const specifier of valueImports) expect(PUBLIC_MODULES.map((name) => `./${name.replace(/\.ts$/, '.js')}`), `${file} imports ${specifier}`).toContain(specifier);
  }
  const client = await readFile(new URL('../../../server/work-order/workOrderClient.ts', import.meta.url), 'utf8');
  expect(client).toContain("import('@alicloud/pop-core')");
});
