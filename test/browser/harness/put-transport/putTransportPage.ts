// The PUT transport and the presigned PUT queue, bundled alone for test/browser/putTransport.test.ts:
// the test drives them from page.evaluate against a real presigned-PUT server on loopback.
import { createUploadQueue } from '../../../../src/core/createUploadQueue';
import { parseAttachmentUploadUrl } from '../../../../src/core/parseAttachmentUploadUrl';
import { createPresignedPutStrategy } from '../../../../src/core/presignedPutStrategy';
import { putObject } from '../../../../src/core/putObject';

const putTransport = { createUploadQueue, createPresignedPutStrategy, parseAttachmentUploadUrl, putObject };
export type PutTransport = typeof putTransport;

declare global {
  interface Window {
    putTransport: PutTransport;
  }
}

window.putTransport = putTransport;
