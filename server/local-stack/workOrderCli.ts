// `npm run workorder -- --port <p> --access-key-id <id> --access-key-secret <secret> [--oss-url <url>]`:
// the Work Order API emulator alone (2016-08-30 and 2021-06-10 on one endpoint), on 127.0.0.1. It
// starts its own OSS emulator unless --oss-url names a running one (started with `npm run oss` and
// the OSS emulator's default AccessKey and bucket, or the ones given with --oss-*).
import { parseArgs } from 'node:util';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_BUCKET,
  DEFAULT_REGION,
  startOssEmulator,
  type OssEmulator,
} from '../oss-emulator/ossEmulator.js';
import { startWorkOrderEmulator } from './startWorkOrderEmulator.js';

const USAGE = `Usage: npm run workorder -- --port <p> --access-key-id <id> --access-key-secret <secret>
                            [--security-token TOKEN] [--oss-url URL] [--oss-port P]
                            [--oss-access-key-id ID] [--oss-access-key-secret SECRET] [--oss-bucket NAME]`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'access-key-id': { type: 'string' },
    'access-key-secret': { type: 'string' },
    'security-token': { type: 'string' },
    'oss-url': { type: 'string' },
    'oss-port': { type: 'string' },
    'oss-access-key-id': { type: 'string' },
    'oss-access-key-secret': { type: 'string' },
    'oss-bucket': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function portOf(value: string | undefined, name: string): number {
  const port = value === undefined ? 0 : Number(value);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) fail(`${name} must be 0..65535`);
  return port;
}

if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}
const accessKeyId = values['access-key-id'];
const accessKeySecret = values['access-key-secret'];
if (accessKeyId === undefined || accessKeyId === '' || accessKeySecret === undefined || accessKeySecret === '') {
  fail('--access-key-id and --access-key-secret are required: the AccessKey your backend will call the emulator with.');
}
const port = portOf(values.port, '--port');
const ossUrl = values['oss-url']?.replace(/\/+$/, '');
if (ossUrl !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(ossUrl))
  fail('--oss-url must be a loopback http:// origin.');

let ownOss: OssEmulator | undefined;
if (ossUrl === undefined) ownOss = await startOssEmulator({ port: portOf(values['oss-port'], '--oss-port') });
const oss = {
  url: ownOss?.url ?? (ossUrl as string),
  bucket: ownOss?.bucket ?? values['oss-bucket'] ?? DEFAULT_BUCKET,
  region: ownOss?.region ?? DEFAULT_REGION,
  accessKeyId: ownOss?.accessKeyId ?? values['oss-access-key-id'] ?? DEFAULT_ACCESS_KEY_ID,
  accessKeySecret: ownOss?.accessKeySecret ?? values['oss-access-key-secret'] ?? DEFAULT_ACCESS_KEY_SECRET,
};
const securityToken = values['security-token'];
const workOrder = await startWorkOrderEmulator({
  port,
  credentials: [{ accessKeyId, accessKeySecret, ...(securityToken === undefined ? {} : { securityToken }) }],
  oss,
}).catch(async (error: unknown) => {
  await ownOss?.close();
  throw error;
});

console.log(`Work Order API emulator listening on ${workOrder.url}
  API versions       2016-08-30 (pop-core: endpoint ${workOrder.url}) and 2021-06-10 (@alicloud/workorder20210610: endpoint ${workOrder.url.replace(/^http:\/\//, '')}, protocol http)
  access key id      ${accessKeyId} (the secret you passed; not printed)
  OSS emulator       ${oss.url}${ownOss === undefined ? ' (given with --oss-url)' : ' (started here)'}  bucket ${oss.bucket}
  control API        ${workOrder.url}/__control/faults | tickets | reset`);

const stop = (): void => {
  setTimeout(() => process.exit(1), 5_000).unref();
  Promise.all([workOrder.close(), ownOss?.close()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
