// `npm run oss -- --port <p> --access-key-id <id> --access-key-secret <secret> --bucket <name> --data-dir <dir>`
import { parseArgs } from 'node:util';
import { startOssEmulator, type OssEmulatorOptions } from '../oss-emulator/ossEmulator.js';

const USAGE = `Usage: npm run oss -- [--port 9000] [--access-key-id ID] [--access-key-secret SECRET]
                      [--bucket NAME] [--region cn-hangzhou] [--data-dir DIR] [--security-token TOKEN]
                      [--cors-origin ORIGIN]...`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'access-key-id': { type: 'string' },
    'access-key-secret': { type: 'string' },
    bucket: { type: 'string' },
    region: { type: 'string' },
    'data-dir': { type: 'string' },
    'security-token': { type: 'string' },
    'cors-origin': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be 0..65535\n${USAGE}`);
  process.exit(2);
}

const options: OssEmulatorOptions = { port };
if (values['access-key-id'] !== undefined) options.accessKeyId = values['access-key-id'];
if (values['access-key-secret'] !== undefined) options.accessKeySecret = values['access-key-secret'];
if (values.bucket !== undefined) options.bucket = values.bucket;
if (values.region !== undefined) options.region = values.region;
if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
if (values['security-token'] !== undefined) options.securityToken = values['security-token'];
if (values['cors-origin'] !== undefined) options.corsOrigins = values['cors-origin'];

const emulator = await startOssEmulator(options);
console.log(`OSS emulator listening on ${emulator.url}
  bucket             ${emulator.bucket} (region ${emulator.region})
  access key id      ${emulator.accessKeyId}
  access key secret  ${emulator.accessKeySecret}${
    emulator.securityToken === undefined ? '' : `\n  security token     ${emulator.securityToken}`
  }
  data dir           ${emulator.dataDir}
  control API        ${emulator.url}/__control/objects | faults | requests | reset`);

const stop = (): void => {
  setTimeout(() => process.exit(1), 5_000).unref();
  emulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
