'use client';
import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AcceptMap } from '../core/AcceptMap.js';
import { getAuthorizationUsableUntil } from '../core/authorizationExpiry.js';
import { callUserCallback } from '../core/callUserCallback.js';
import { createUploadQueue } from '../core/createUploadQueue.js';
import type { UploadQueue } from '../core/createUploadQueue.js';
import { postObject } from '../core/postObject.js';
import type { ShrinkImage } from '../core/ShrinkImage.js';
import type { PostObjectRequest, PostObjectResult } from '../core/postObject.js';
import { createDeferredUploadStrategy } from '../core/createDeferredUploadStrategy.js';
import { createPostPolicyStrategy } from '../core/postPolicyStrategy.js';
import type { PutObjectRequest, PutObjectResult } from '../core/putObject.js';
import type { RelayPutObjectRequest } from '../core/relayPutObject.js';
import type { FileUpload } from '../core/uploadReducer.js';
import { isFileBusy, selectPaths, selectTotals } from '../core/uploadSelectors.js';
import type { UploadTotals } from '../core/uploadSelectors.js';
import { isAuthorizationErrorCode, isUploadError } from '../core/UploadError.js';
import type { UploadError } from '../core/UploadError.js';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILES, getEffectiveSizeRange, validateFiles } from '../core/validateFile.js';
import type { FileRejection } from '../core/validateFile.js';
import { authorizeFromQueryClient, ossAuthorizationQueryOptions } from './ossAuthorizationQuery.js';
import type { FetchAuthorization } from './ossAuthorizationQuery.js';
import type { FetchUploadUrl } from './uploadUrlMutation.js';
import { useControlledPaths } from './useControlledPaths.js';

/** POST policy mode (Work Order API 2016-08-30, getOSSTempAuthor): one authorization shared by every file. */
export interface PostPolicyModeOptions {
  /** Calls the backend's getOSSTempAuthor; may resolve to a `Response`, the envelope, or bare `data`. */
  fetchAuthorization: FetchAuthorization;
  fetchUploadUrl?: never;
  uploadContentType?: never;
  uploadRelayUrl?: never;
  /** Replaces the XHR transport (Storybook, tests). Default: `postObject`. */
  send?: (request: PostObjectRequest) => Promise<PostObjectResult>;
}

/** Presigned PUT mode (Work Order API 2021-06-10, GetAttachmentUploadUrl): one URL per file, asked for right before it uploads. */
export interface PresignedPutModeOptions {
  /** Calls the backend's GetAttachmentUploadUrl for one file; may resolve to a `Response`, the envelope, or bare `Data`. */
  fetchUploadUrl: FetchUploadUrl;
  fetchAuthorization?: never;
  uploadRelayUrl?: never;
  /**
   * The Content-Type sent with every PUT when the answer does not name the one its URL was signed
   * for (`ContentType`). Must match what the backend signed. Default `application/octet-stream`.
   */
  uploadContentType?: string;
  /** Replaces the XHR transport (Storybook, tests). Default: `putObject`. */
  send?: (request: PutObjectRequest) => Promise<PutObjectResult>;
}

/**
 * Presigned PUT through your server (Work Order API 2021-06-10, for a bucket whose CORS rule does not
 * let browsers PUT): each file is PUT to your relay, which gets the URL and streams the file on.
 */
export interface UploadRelayModeOptions {
  /**
   * Your relay endpoint (`createAttachmentUploadRelayHandler` of `ticket-attachment-uploader/server`),
   * e.g. `/api/attachment-upload-relay`: each file is PUT to it with `?fileName=<name>`.
   */
  uploadRelayUrl: string;
  fetchAuthorization?: never;
  fetchUploadUrl?: never;
  uploadContentType?: never;
  /** Replaces the XHR transport (Storybook, tests). Default: `relayPutObject`. */
  send?: (request: RelayPutObjectRequest) => Promise<PutObjectResult>;
}

/**
 * Exactly one of `fetchAuthorization` (POST policy), `fetchUploadUrl` (presigned PUT) and
 * `uploadRelayUrl` (presigned PUT through your relay) picks the upload mode.
 */
export type UseAttachmentUploadStateOptions = UploadStateCommonOptions &
  (PostPolicyModeOptions | PresignedPutModeOptions | UploadRelayModeOptions);

interface UploadStateCommonOptions {
  /** Object keys of the uploaded files (controlled). */
  value?: readonly string[];
  /** Initial object keys (uncontrolled), e.g. from a saved draft. */
  defaultValue?: readonly string[];
  /** Called with the keys of the uploaded files, in the order they were added, whenever that list changes. */
  onChange?: (paths: string[]) => void;
  /** Most attachments in total. Default 3 (the ticket API's limit). */
  maxFiles?: number;
  /** Largest file in bytes. Default 2,097,152; the policy's own maximum wins when smaller. */
  maxFileSize?: number;
  /** Smallest file in bytes. Default 0. */
  minFileSize?: number;
  /** Accepted types, react-dropzone's format. Default: every type. */
  accept?: AcceptMap;
  /** Most uploads at once. Default 3. */
  concurrency?: number;
  /** Attempts per file for transient failures (network errors, stalls, 5xx, 429). Default 3. Time offline never counts. */
  maxAttempts?: number;
  /**
   * Delay (ms) before automatic attempt `attempt` (2, 3, …). Default: 500 ms doubling per attempt,
   * at most 10 s, times a random 0.5–1.5. A 429 or 503 with a readable `Retry-After` waits what it asks (at most 60 s).
   */
  retryDelay?: (attempt: number) => number;
  /** How long files wait for a lost connection before failing with `offline` (retryable). Default 600,000 ms (10 minutes). */
  offlineTimeoutMs?: number;
  /** No upload progress for this long fails the attempt with `timeout`. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** An authorization (or upload URL) request with no answer after this long fails. Default 15,000 ms. */
  authorizationTimeoutMs?: number;
  /** Cache key of the authorization; uploaders with the same key share one. Default `'getOSSTempAuthor'`. */
  authorizationKey?: string;
  /** No new files while true. Default false. */
  disabled?: boolean;
  /**
   * An image (JPEG, PNG, WebP, AVIF, BMP) over the size limit: `'offer'` lists it with a "Shrink to fit" button,
   * `'auto'` shrinks it at once, `'off'` refuses it like any file too large. The shrunk copy (metadata,
   * GPS included, removed) is what uploads. Default `'offer'`.
   */
  shrinkImages?: ShrinkImagesMode;
  /** Replaces the image shrinker (Storybook, tests, or one that reads more formats). Default: the built-in one, loaded on first use. */
  shrinkImage?: ShrinkImage;
  /*
   * Every callback is optional (default: none) and may change on every render. Whatever one throws
   * is reported as an uncaught error (the page's 'error' event, `reportError`) and changes nothing:
   * the file keeps its real state and the other callbacks still run.
   */
  /** True while anything is queued, authorizing or uploading. */
  onBusyChange?: (busy: boolean) => void;
  /** A file starts sending (`upload.key` is its object key, `loaded` 0); called again for each retry. */
  onUploadStarted?: (upload: Extract<FileUpload, { status: 'uploading' }>) => void;
  /** A file sent more bytes: at most once per file per redraw of the list (at most every 50 ms); never after it finished. */
  onUploadProgress?: (upload: Extract<FileUpload, { status: 'uploading' }>) => void;
  onUploadSucceeded?: (file: File, key: string) => void;
  onUploadFailed?: (file: File, error: UploadError) => void;
  /** A file was canceled (its Cancel button, `cancel(id)`, or unmounting while it was in flight); not called for a removed file. */
  onUploadCanceled?: (upload: Extract<FileUpload, { status: 'canceled' }>) => void;
  onFilesRejected?: (rejections: FileRejection[]) => void;
  /** Files that passed validation and were queued. */
  onFilesAdded?: (files: File[]) => void;
  /** An already-stored object was removed by the user: lets the backend delete the orphan. */
  onRemoveUploaded?: (key: string) => void;
}

export type ShrinkImagesMode = 'off' | 'offer' | 'auto';

export interface AuthorizationStatus {
  status: 'pending' | 'error' | 'success';
  isFetching: boolean;
  /** The last authorization failure, while the cache holds no usable authorization. */
  error: UploadError | null;
  /** Fetches again and retries every file that failed for want of an authorization. */
  retry: () => void;
}

export interface AttachmentUploadState {
  /** Files added here, in the order they were added. */
  files: readonly FileUpload[];
  /** Keys from `value`/`defaultValue` that were not uploaded by this instance (shown as attached). */
  existingPaths: readonly string[];
  /** Every attached key: `existingPaths`, then the uploaded files' keys. */
  paths: string[];
  isBusy: boolean;
  totals: UploadTotals;
  /** Rejections of the last selection. */
  rejections: readonly FileRejection[];
  authorization: AuthorizationStatus;
  /** The limits in force (the policy's size range once known). */
  limits: { maxFiles: number; maxFileSize: number; minFileSize: number; accept: AcceptMap | undefined };
  /** Validates and queues files; returns the rejections. */
  addFiles: (files: readonly File[]) => FileRejection[];
  cancel: (id: string) => void;
  retry: (id: string) => void;
  /** Shrinks an image listed over the size limit (`status: 'shrinkOffered'`), then uploads the shrunk copy. */
  shrink: (id: string) => void;
  /** Removes a file (canceling it if needed); for an uploaded one, calls `onRemoveUploaded`. Returns what was removed. */
  remove: (id: string) => FileUpload | undefined;
  /** Removes one of `existingPaths` and calls `onRemoveUploaded`. */
  removePath: (key: string) => void;
  clearRejections: () => void;
}

type UploadMode = 'post' | 'put' | 'relay';

/** Which mode the options pick; mixing modes or passing none is a programming error, reported at render. */
function resolveUploadMode(options: UseAttachmentUploadStateOptions): UploadMode {
  const given: Array<[UploadMode, string]> = [];
  if (typeof options.fetchAuthorization === 'function') given.push(['post', '`fetchAuthorization`']);
  if (typeof options.fetchUploadUrl === 'function') given.push(['put', '`fetchUploadUrl`']);
  if (typeof options.uploadRelayUrl === 'string') given.push(['relay', '`uploadRelayUrl`']);
  const [only] = given;
  if (only && given.length === 1) return only[0];
  throw new TypeError(
    'ticket-attachment-uploader: pass exactly one of `fetchAuthorization` (POST policy), `fetchUploadUrl` (presigned PUT) and ' +
      `\`uploadRelayUrl\` (PUT relay); got ${given.length === 0 ? 'none' : given.map(([, name]) => name).join(' and ')}.`,
  );
}

function useRequiredQueryClient(): QueryClient {
  try {
    return useQueryClient();
  } catch (cause) {
    throw new Error('ticket-attachment-uploader: render it inside a react-query <QueryClientProvider>.', { cause });
  }
}

/**
 * Upload state and actions without any rendering or input handling: the queue, the shared
 * authorization query, the controlled/uncontrolled `value` (`useControlledPaths`), and the callbacks.
 * Internal: the public `useTicketAttachmentUpload` adds react-dropzone's prop getters on top.
 */
export function useAttachmentUploadState(options: UseAttachmentUploadStateOptions): AttachmentUploadState {
  const mode = resolveUploadMode(options);
  const queryClient = useRequiredQueryClient();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  const authQueryOptions = {
    fetchAuthorization: options.fetchAuthorization ?? (() => Promise.reject(new TypeError('fetchAuthorization is not set.'))),
    authorizationKey: options.authorizationKey,
    timeoutMs: options.authorizationTimeoutMs,
  };

  // The strategies and the queue's callbacks read `latest` only when they run (after render), never during it.
  // eslint-disable-next-line react-hooks/refs
  const [strategies] = useState(() => ({
    post: createPostPolicyStrategy({
      authorize: (request) =>
        authorizeFromQueryClient(
          queryClient,
          {
            fetchAuthorization: (context) => (latest.current.fetchAuthorization ?? authQueryOptions.fetchAuthorization)(context),
            authorizationKey: latest.current.authorizationKey,
            timeoutMs: latest.current.authorizationTimeoutMs,
          },
          request,
        ),
      send: (request) => {
        const current = latest.current;
        return current.fetchAuthorization !== undefined && current.send ? current.send(request) : postObject(request);
      },
    }),
    // The presigned PUT modes are a lazy chunk (presignedPutModes.ts), loaded on mount when the options pick one;
    // the deferred strategy remembers the load (and forgets a failed one).
    put: createDeferredUploadStrategy(
      () => import('./presignedPutModes.js').then((module) => module.createPresignedPutMode(queryClient, latest)),
      'upload-url-request-failed',
    ),
    relay: createDeferredUploadStrategy(
      () => import('./presignedPutModes.js').then((module) => module.createUploadRelayMode(latest)),
      'upload-url-request-failed',
    ),
  }));

  // Start loading the presigned PUT chunk at mount, so the first file does not wait for it.
  useEffect(() => {
    if (mode !== 'post') void strategies[mode].load().catch(() => undefined);
  }, [strategies, mode]);

  // eslint-disable-next-line react-hooks/refs
  const [queue] = useState<UploadQueue>(() =>
    createUploadQueue({
      strategy: strategies[mode],
      onUploadStarted: (upload) => latest.current.onUploadStarted?.(upload),
      onUploadProgress: (upload) => latest.current.onUploadProgress?.(upload),
      onUploadSucceeded: (upload) => latest.current.onUploadSucceeded?.(upload.file, upload.key),
      onUploadFailed: (upload) => latest.current.onUploadFailed?.(upload.file, upload.error),
      onUploadCanceled: (upload) => latest.current.onUploadCanceled?.(upload),
      onBusyChange: (busy) => latest.current.onBusyChange?.(busy),
    }),
  );

  useEffect(() => {
    queue.setOptions({
      strategy: strategies[mode],
      concurrency: options.concurrency,
      maxAttempts: options.maxAttempts,
      retryDelay: options.retryDelay,
      offlineTimeoutMs: options.offlineTimeoutMs,
      stallTimeoutMs: options.stallTimeoutMs,
      limits: { maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, minFileSize: options.minFileSize },
    });
  }, [
    queue,
    strategies,
    mode,
    options.concurrency,
    options.maxAttempts,
    options.retryDelay,
    options.offlineTimeoutMs,
    options.stallTimeoutMs,
    options.maxFileSize,
    options.minFileSize,
  ]);

  // Image shrinking (issue 12): `'auto'` makes the queue shrink what it would otherwise offer.
  const autoShrink = options.shrinkImages === 'auto';
  useEffect(() => {
    queue.setOptions({ autoShrink, shrinkImage: options.shrinkImage });
  }, [queue, autoShrink, options.shrinkImage]);

  // Unmounting aborts uploads in flight; the queue itself survives StrictMode's remount.
  useEffect(() => () => queue.abortAll(), [queue]);

  const state = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  const isBusy = state.files.some(isFileBusy);

  const authQueryBase = ossAuthorizationQueryOptions(authQueryOptions);
  const authQuery = useQuery({
    ...authQueryBase,
    // Presigned PUT mode has no shared authorization: this observer never fetches, and its data is ignored.
    queryFn: mode === 'post' ? authQueryBase.queryFn : skipToken,
    // Prefetch on mount so the first drop does not wait; while a batch runs, refresh as the
    // authorization reaches its margin so the next file finds a fresh one (no policy-expired).
    enabled: mode === 'post' && !options.disabled,
    refetchInterval: (query) =>
      isBusy && query.state.data ? Math.max(1_000, getAuthorizationUsableUntil(query.state.data) - Date.now()) : false,
  });
  const policy = mode === 'post' ? (authQuery.data?.decodedPolicy ?? null) : null;

  const uploadedPaths = useMemo(() => selectPaths(state), [state]);
  const { existingPaths, paths, removeExistingPath } = useControlledPaths({
    value: options.value,
    defaultValue: options.defaultValue,
    onChange: options.onChange,
    uploadedPaths,
    queue,
  });

  const [rejections, setRejections] = useState<readonly FileRejection[]>([]);
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const sizeRange = getEffectiveSizeRange({ maxFileSize: options.maxFileSize, minFileSize: options.minFileSize, policy });
  const limits = useMemo(
    () => ({ maxFiles, maxFileSize: sizeRange.max, minFileSize: sizeRange.min, accept: options.accept }),
    [maxFiles, sizeRange.max, sizeRange.min, options.accept],
  );

  const addFiles = useCallback(
    (files: readonly File[]) => {
      const current = latest.current;
      if (current.disabled || files.length === 0) return [];
      const existingCount = existingPaths.length + queue.getSnapshot().files.length;
      const fileLimits = {
        maxFiles: current.maxFiles ?? DEFAULT_MAX_FILES,
        maxFileSize: current.maxFileSize,
        minFileSize: current.minFileSize,
        accept: current.accept,
        policy,
        shrinkImages: current.shrinkImages !== 'off',
      };
      const { accepted, rejected } = validateFiles(files, fileLimits, existingCount);
      if (accepted.length > 0) {
        // Only the shrinkable images validation let through are over the limit: the queue offers to shrink those.
        queue.add(accepted, getEffectiveSizeRange(fileLimits).max);
        callUserCallback(current.onFilesAdded, accepted);
      }
      setRejections(rejected);
      if (rejected.length > 0) callUserCallback(current.onFilesRejected, rejected);
      return rejected;
    },
    [queue, existingPaths.length, policy],
  );

  const remove = useCallback(
    (id: string) => {
      const removed = queue.remove(id);
      if (removed?.status === 'done') callUserCallback(latest.current.onRemoveUploaded, removed.key);
      return removed;
    },
    [queue],
  );

  const removePath = useCallback(
    (key: string) => {
      removeExistingPath(key);
      callUserCallback(latest.current.onRemoveUploaded, key);
    },
    [removeExistingPath],
  );

  const retryAuthorization = useCallback(() => {
    if (mode === 'post') void authQuery.refetch();
    for (const upload of queue.getSnapshot().files) {
      if (upload.status === 'failed' && isAuthorizationErrorCode(upload.error.code)) queue.retry(upload.id);
    }
  }, [authQuery, queue, mode]);

  const authError = mode === 'post' && (!authQuery.data || authQuery.isError) && isUploadError(authQuery.error) ? authQuery.error : null;
  const lastAuthFailure = useMemo(() => {
    for (let index = state.files.length - 1; index >= 0; index -= 1) {
      const upload = state.files[index];
      if (upload?.status === 'failed' && isAuthorizationErrorCode(upload.error.code)) return upload.error;
    }
    return null;
  }, [state]);

  return {
    files: state.files,
    existingPaths,
    paths,
    isBusy,
    totals: useMemo(() => selectTotals(state), [state]),
    rejections,
    // In presigned PUT mode there is no shared authorization: the status is that of the files' URL requests.
    authorization: {
      status: mode === 'post' ? authQuery.status : lastAuthFailure ? 'error' : 'success',
      isFetching: mode === 'post' ? authQuery.isFetching : state.files.some((upload) => upload.status === 'authorizing'),
      error: authError ?? lastAuthFailure,
      retry: retryAuthorization,
    },
    limits,
    addFiles,
    cancel: queue.cancel,
    retry: queue.retry,
    shrink: queue.shrink,
    remove,
    removePath,
    clearRejections: useCallback(() => setRejections([]), []),
  };
}
