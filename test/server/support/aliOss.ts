// The official ali-oss SDK (devDependency) as the independent reference signer for the tests:
// every upload the emulator accepts in these tests is signed by it, not by our own signer.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The slice of an ali-oss client the tests use (docs/oss-protocol.md §7). */
export interface AliOssClient {
  options: { accessKeyId: string; accessKeySecret: string; region: string; bucket: string };
  calculatePostSignature(policy: object | string): { OSSAccessKeyId: string; Signature: string; policy: string };
  signPostObjectPolicyV4(policy: object | string, date: Date): string;
}

type AliOssConstructor = new (options: { accessKeyId: string; accessKeySecret: string; region: string; bucket: string }) => AliOssClient;

const OSS = require('ali-oss') as AliOssConstructor;
const signUtils = require('ali-oss/lib/common/signUtils') as {
  getCredential(date: string, region: string, accessKeyId: string): string;
  computeSignature(accessKeySecret: string, canonicalString: string): string;
};
const { policy2Str } = require('ali-oss/lib/common/utils/policy2Str') as { policy2Str(policy: object | string): string };
const { getStandardRegion } = require('ali-oss/lib/common/utils/getStandardRegion') as {
  getStandardRegion(region: string): string;
};
// ali-oss's own date formatting dependency, as its README's V4 example uses.
const dateFormat = createRequire(require.resolve('ali-oss'))('dateformat') as (date: Date, mask: string) => string;

export interface AliOssCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  region: string;
  securityToken?: string;
}

export function createAliOssClient(credentials: AliOssCredentials): AliOssClient {
  return new OSS({
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    // The SDK takes the endpoint-style region; getStandardRegion strips "oss-" again for V4.
    region: `oss-${credentials.region}`,
    bucket: credentials.bucket,
    // No stsToken: PostObject signing ignores it (docs/oss-protocol.md §7), the form helpers add the token field.
  });
}

/** `UTC:yyyymmdd'T'HHMMss'Z'`, exactly as the ali-oss README formats x-oss-date. */
export function aliOssV4Date(date: Date): string {
  return dateFormat(date, "UTC:yyyymmdd'T'HHMMss'Z'");
}

export function aliOssCredential(client: AliOssClient, xOssDate: string): string {
  return signUtils.getCredential(xOssDate.split('T')[0] as string, getStandardRegion(client.options.region), client.options.accessKeyId);
}

export function aliOssPolicyBase64(policy: object): string {
  return Buffer.from(policy2Str(policy), 'utf8').toString('base64');
}

/** ali-oss's HMAC-SHA1 signer (what calculatePostSignature uses), for policies it refuses to parse. */
export function aliOssComputeSignature(accessKeySecret: string, policyBase64: string): string {
  return signUtils.computeSignature(accessKeySecret, policyBase64);
}
