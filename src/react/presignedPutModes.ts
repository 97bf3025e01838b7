import type { QueryClient } from '@tanstack/react-query';
import type { RefObject } from 'react';
import { createPresignedPutStrategy } from '../core/presignedPutStrategy.js';
import { putObject } from '../core/putObject.js';
import { relayPutObject } from '../core/relayPutObject.js';
import { createRelayUploadStrategy } from '../core/relayUploadStrategy.js';
import type { UploadStrategy } from '../core/UploadStrategy.js';
import { requestUploadUrlFromQueryClient } from './uploadUrlMutation.js';
import type { UseAttachmentUploadStateOptions } from './useAttachmentUploadState.js';

/*
 * The two presigned PUT modes (GetAttachmentUploadUrl, Work Order API 2021-06-10): a lazy chunk that
 * `useAttachmentUploadState` loads on mount only when its options pick one of them, so POST policy
 * apps never download it. Both read the hook's latest options when a file starts, never during render.
 */

/** Presigned PUT: one react-query mutation per file for its URL, right before it uploads (or while the file before it does). */
export function createPresignedPutMode(queryClient: QueryClient, latest: RefObject<UseAttachmentUploadStateOptions>): UploadStrategy {
  return createPresignedPutStrategy({
    requestUploadUrl: (request) => {
      const current = latest.current;
      if (current.fetchUploadUrl === undefined) return Promise.reject(new TypeError('fetchUploadUrl is not set.'));
      return requestUploadUrlFromQueryClient(
        queryClient,
        {
          fetchUploadUrl: current.fetchUploadUrl,
          timeoutMs: current.authorizationTimeoutMs,
          uploadContentType: current.uploadContentType,
        },
        request,
      );
    },
    send: (request) => {
      const current = latest.current;
      return current.fetchUploadUrl !== undefined && current.send ? current.send(request) : putObject(request);
    },
  });
}

/** Presigned PUT through the app's relay endpoint. */
export function createUploadRelayMode(latest: RefObject<UseAttachmentUploadStateOptions>): UploadStrategy {
  return createRelayUploadStrategy({
    relayUrl: () => latest.current.uploadRelayUrl ?? '',
    send: (request) => {
      const current = latest.current;
      return current.uploadRelayUrl !== undefined && current.send ? current.send(request) : relayPutObject(request);
    },
  });
}
