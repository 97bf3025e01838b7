import { expect, it, vi } from 'vitest';
import { createWorkOrderClient } from '../../../server/work-order/workOrderClient.js';

// A signer-only install: the optional peer dependency is not there.
vi.mock('@alicloud/pop-core', () => {
  throw new Error("Cannot find package '@alicloud/pop-core'");
});

it('says to install @alicloud/pop-core when it is missing, on the first call rather than on import', async () => {
  const client = createWorkOrderClient({ endpoint: 'http://127.0.0.1:9', accessKeyId: 'id', accessKeySecret: 'secret' });
  await expect(client.getOSSTempAuthor()).rejects.toThrow('npm install @alicloud/pop-core');
});
