import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

// The Work Order modules the public server entry exports: what they load is what every user of
// `ticket-attachment-uploader/server` loads, signer-only users without either SDK included.
const PUBLIC_MODULES = [
  'workOrderClient.ts',
  'workOrderApiError.ts',
  'legacyWorkOrderEnvelope.ts',
  'getOssTempAuthorHandler.ts',
  'toNodeHandler.ts',
  'workOrder2021Client.ts',
  'attachmentUploadUrlHandler.ts',
  'validateAttachmentFileName.ts',
  'attachmentUploadRelayHandler.ts',
  'noStoreJsonResponse.ts',
  'workOrderApiFailureResponse.ts',
];

/** `import … from '…'` statements that load something at run time (not `import type`). */
function valueImports(source: string): string[] {
  return [...source.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map((match) => match[1] as string);
}

it('load no emulator and no SDK statically: only each other and node: built-ins', async () => {
  const allowed = PUBLIC_MODULES.map((name) => `./${name.replace(/\.ts$/, '.js')}`);
  for (const file of PUBLIC_MODULES) {
    const source = await readFile(new URL(`../../../server/work-order/${file}`, import.meta.url), 'utf8');
    for (const specifier of valueImports(source)) {
      if (!specifier.startsWith('node:')) expect(allowed, `${file} imports ${specifier}`).toContain(specifier);
    }
    expect(source, `${file} must not import an emulator`).not.toMatch(/from '[^']*(Emulator|oss-emulator|local-stack)[^']*'/);
  }
});

it('load each SDK only through import() on first use', async () => {
  const legacy = await readFile(new URL('../../../server/work-order/workOrderClient.ts', import.meta.url), 'utf8');
  expect(legacy).toContain("import('@alicloud/pop-core')");
  const current = await readFile(new URL('../../../server/work-order/workOrder2021Client.ts', import.meta.url), 'utf8');
  expect(current).toContain("import('@alicloud/workorder20210610')");
  // A type-only import is erased; anything else would load the SDK with the entry.
  expect(valueImports(current).filter((specifier) => specifier.startsWith('@alicloud/'))).toEqual([]);
});
