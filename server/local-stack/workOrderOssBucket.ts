import { encodeObjectKey } from '../oss-emulator/encodeObjectKey.js';
import { presignUrl } from '../oss-emulator/presignedUrl.js';
import { createOssTempAuthorization } from '../signer/ossPostPolicySigner.js';
import { fileNameFromContentDisposition } from '../work-order/demo-backend/fileNameFromContentDisposition.js';
import type { WorkOrderOssAuthorization } from '../work-order/legacyWorkOrderEnvelope.js';
import type { SigningSettings } from './authorizationSettings.js';

/** The attachment bucket as the Work Order service owns it: where it is and its AccessKey. */
export interface OssBucketAccess {
  /** The OSS emulator's base URL, no trailing slash (`http://127.0.0.1:9000`). */
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** What a stored attachment looks like to someone reading a ticket. */
export interface BucketObjectInfo {
  key: string;
  /** The original file name from the object's Content-Disposition, else the key's last segment. */
  name: string;
  size: number;
  /** A presigned GET link (docs/work-order-api.md §4), valid for the signing lifetime. */
  url: string;
}

/** The service side of the attachment bucket: sign uploads, presign links, check and delete objects. */
export interface WorkOrderOssBucket {
  /** 2016-08-30 getOSSTempAuthor: a POST policy for `dir` with the project's signer. */
  issueAuthorization(dir: string): WorkOrderOssAuthorization;
  /** A presigned URL (PUT with its Content-Type, GET/HEAD without), valid for the signing lifetime. */
  presign(key: string, method: 'PUT' | 'GET' | 'HEAD', contentType?: string): string;
  /** Whether the bucket holds `key`, asked with a presigned HEAD as the service would. Throws when OSS cannot be reached. */
  objectExists(key: string): Promise<boolean>;
  /** Size, name and a download link of a stored object; undefined when there is none. */
  describe(key: string): Promise<BucketObjectInfo | undefined>;
  /** Deletes an object (stands for OSS DeleteObject, through the emulator's control API). */
  remove(key: string): Promise<boolean>;
}

/**
 * The bucket wiring of the local Work Order API: `signing()` gives the lifetime, size cap and
 * signature version of the next authorization (2 minutes, 2 MB, V1 unless a test changes them).
 */
export function createWorkOrderOssBucket(
  oss: OssBucketAccess,
  signing: { forAuthorization(): SigningSettings; forUrl(): SigningSettings },
  now: () => number = Date.now,
): WorkOrderOssBucket {
  const base = oss.url.replace(/\/+$/, '');
  const presign = (key: string, method: 'PUT' | 'GET' | 'HEAD', contentType?: string): string =>
    presignUrl({
      method,
      bucket: oss.bucket,
      key,
      expires: Math.floor(now() / 1000) + signing.forUrl().lifetimeSeconds,
      accessKeyId: oss.accessKeyId,
      accessKeySecret: oss.accessKeySecret,
      endpoint: base,
      ...(contentType === undefined ? {} : { contentType }),
      ...(oss.securityToken === undefined ? {} : { securityToken: oss.securityToken }),
    });

  const head = async (key: string): Promise<Response | undefined> => {
    const response = await fetch(presign(key, 'HEAD'), { method: 'HEAD' });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`OSS answered HEAD ${encodeObjectKey(key)} with HTTP ${response.status}.`);
    return response;
  };

  return {
    issueAuthorization(dir) {
      const { lifetimeSeconds, maxSize, signatureVersion } = signing.forAuthorization();
      return createOssTempAuthorization({
        accessKeyId: oss.accessKeyId,
        accessKeySecret: oss.accessKeySecret,
        host: `${base}/`,
        bucket: oss.bucket,
        region: oss.region,
        dir,
        lifetimeSeconds,
        maxSize,
        signatureVersion,
        now: () => new Date(now()),
        ...(oss.securityToken === undefined ? {} : { securityToken: oss.securityToken }),
      });
    },
    presign,
    async objectExists(key) {
      return (await head(key)) !== undefined;
    },
    async describe(key) {
      const response = await head(key);
      if (response === undefined) return undefined;
      const disposition = response.headers.get('content-disposition');
      return {
        key,
        name: (disposition === null ? undefined : fileNameFromContentDisposition(disposition)) ?? key.slice(key.lastIndexOf('/') + 1),
        size: Number(response.headers.get('content-length') ?? 0),
        url: presign(key, 'GET'),
      };
    },
    async remove(key) {
      const response = await fetch(`${base}/__control/delete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key }),
      });
      if (!response.ok) throw new Error(`The OSS emulator refused to delete ${key} (HTTP ${response.status}).`);
      return ((await response.json()) as { deleted: boolean }).deleted;
    },
  };
}
