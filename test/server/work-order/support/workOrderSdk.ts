// The official @alicloud/workorder20210610 client, used raw (not through our wrapper) so the tests
// see exactly what the SDK sends and how it reads the answers.
import { createRequire } from 'node:module';
import type * as WorkOrderSdk from '@alicloud/workorder20210610';

const require = createRequire(import.meta.url);

export const sdk = require('@alicloud/workorder20210610') as typeof WorkOrderSdk;
export type SdkClient = InstanceType<typeof WorkOrderSdk.default>;

export function createSdkClient(options: {
  host: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}): SdkClient {
  const config = {
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    endpoint: options.host,
    protocol: 'http',
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
  };
  return new sdk.default(config as ConstructorParameters<typeof WorkOrderSdk.default>[0]);
}
