import { abortable } from './abortable.js';
import { isAuthorizationExpiredOnArrival, isAuthorizationUsable } from './authorizationExpiry.js';
import { buildObjectKey } from './buildObjectKey.js';
import type { OssAuthorization } from './parseOssAuthorization.js';
import { buildContentDisposition, postObject } from './postObject.js';
import type { PostObjectRequest, PostObjectResult } from './postObject.js';
import type { UploadStrategy, UploadTarget } from './UploadStrategy.js';
import { UploadError } from './UploadError.js';
import { validateFile } from './validateFile.js';

export interface AuthorizeRequest {
  signal: AbortSignal;
  /** An authorization the queue found unusable (expired, too close to expiry, or refused by OSS): do not return it again. */
  rejected?: OssAuthorization;
}

export interface PostPolicyStrategyOptions {
  /**
   * Returns a usable authorization, shared between files while fresh (the React layer backs it with
   * react-query): the authorization itself when it is at hand, so the file starts without waiting a tick.
   */
  authorize: (request: AuthorizeRequest) => OssAuthorization | Promise<OssAuthorization>;
  /** Sends one file. Default: `postObject` (XHR multipart POST). */
  send?: (request: PostObjectRequest) => Promise<PostObjectResult>;
}

/**
 * POST policy mode (getOSSTempAuthor): one authorization shared by every file, asked for right
 * before each file starts; the key is built under its prefix and the file is POSTed as a form.
 */
export function createPostPolicyStrategy(options: PostPolicyStrategyOptions): UploadStrategy {
  const authorizationOf = new WeakMap<UploadTarget, OssAuthorization>();

  /** At most two `authorize` calls per attempt: never a refetch loop, even for an authorization that is stale on arrival. */
  const getUsableAuthorization = async (
    first: OssAuthorization | Promise<OssAuthorization>,
    signal: AbortSignal,
    now: () => number,
    rejected?: OssAuthorization,
  ): Promise<OssAuthorization> => {
    let auth = await abortable(Promise.resolve(first), signal);
    // A cached authorization that went stale between two files: ask once more, naming it. One that
    // was already expired when it arrived is reported instead, since a refetch would return the same.
    if (auth !== rejected && !isAuthorizationUsable(auth, now()) && !isAuthorizationExpiredOnArrival(auth)) {
      auth = await abortable(Promise.resolve(options.authorize({ signal, rejected: auth })), signal);
    }
    if (auth === rejected || !isAuthorizationUsable(auth, now())) {
      throw new UploadError('authorization-expired', 'The upload authorization expired before the upload could start.');
    }
    return auth;
  };

  return {
    prepareErrorCode: 'authorization-request-failed',
    prepare({ id, file, signal, replacing, limits, now }) {
      const rejected = replacing && authorizationOf.get(replacing);
      const first = options.authorize({ signal, ...(rejected ? { rejected } : {}) });
      const createTarget = (auth: OssAuthorization): UploadTarget => {
        // The policy's content-length-range is only known now; OSS would refuse the file anyway (docs/oss-protocol.md §2).
        const rejection = validateFile(file, { ...limits, policy: auth.decodedPolicy });
        if (rejection?.errors[0]) throw rejection.errors[0];
        return buildTarget(auth, id, file);
      };
      // A usable authorization at hand: the target is made (and the file sent) in this very task.
      if (!(first instanceof Promise) && first !== rejected && isAuthorizationUsable(first, now())) return createTarget(first);
      return getUsableAuthorization(first, signal, now, rejected).then(createTarget);
    },
  };

  function buildTarget(auth: OssAuthorization, id: string, file: File): UploadTarget {
    const key = buildObjectKey(auth.keyPrefix, file.name, id);
    const target: UploadTarget = {
      key,
      send: (request) =>
        (options.send ?? postObject)({
          authorization: auth,
          key,
          file,
          contentDisposition: buildContentDisposition(file.name),
          ...request,
        }),
      // docs/oss-protocol.md §4: "Policy expired" means our authorization lapsed (clock skew, slow start).
      isExpiredRefusal: (error) => error.code === 'policy-expired',
    };
    authorizationOf.set(target, auth);
    return target;
  }
}
