'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { AcceptMap } from '../core/AcceptMap.js';
import { getAuthorizationUsableUntil } from '../core/authorizationExpiry.js';
import { createUploadQueue } from '../core/createUploadQueue.js';
import type { UploadQueue, UploadQueueOptions } from '../core/createUploadQueue.js';
import type { FileUpload } from '../core/uploadReducer.js';
import { isFileBusy, selectPaths, selectTotals } from '../core/uploadSelectors.js';
import type { UploadTotals } from '../core/uploadSelectors.js';
import { isAuthorizationErrorCode, isUploadError } from '../core/UploadError.js';
import type { UploadError } from '../core/UploadError.js';
import { DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILES, getEffectiveSizeRange, validateFiles } from '../core/validateFile.js';
import type { FileRejection } from '../core/validateFile.js';
import { authorizeFromQueryClient, ossAuthorizationQueryOptions } from './ossAuthorizationQuery.js';
import type { FetchAuthorization } from './ossAuthorizationQuery.js';
import { useControlledPaths } from './useControlledPaths.js';

export interface UseAttachmentUploadStateOptions {
  /** Calls the backend's getOSSTempAuthor; may resolve to a `Response`, the envelope, or bare `data`. */
  fetchAuthorization: FetchAuthorization;
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
  /** Attempts per file for transient failures. Default 3. */
  maxAttempts?: number;
  /** No upload progress for this long fails the attempt with `timeout`. Default 30,000 ms. */
  stallTimeoutMs?: number;
  /** An authorization request with no answer after this long fails. Default 15,000 ms. */
  authorizationTimeoutMs?: number;
  /** Cache key of the authorization; uploaders with the same key share one. Default `'getOSSTempAuthor'`. */
  authorizationKey?: string;
  /** No new files while true. Default false. */
  disabled?: boolean;
  /** True while anything is queued, authorizing or uploading. */
  onBusyChange?: (busy: boolean) => void;
  onUploadSucceeded?: (file: File, key: string) => void;
  onUploadFailed?: (file: File, error: UploadError) => void;
  onFilesRejected?: (rejections: FileRejection[]) => void;
  /** Files that passed validation and were queued. */
  onFilesAdded?: (files: File[]) => void;
  /** An already-stored object was removed by the user: lets the backend delete the orphan. */
  onRemoveUploaded?: (key: string) => void;
  /** Replaces the XHR transport (Storybook, tests). Default: `postObject`. */
  send?: UploadQueueOptions['send'];
}

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
  /** Removes a file (canceling it if needed); for an uploaded one, calls `onRemoveUploaded`. Returns what was removed. */
  remove: (id: string) => FileUpload | undefined;
  /** Removes one of `existingPaths` and calls `onRemoveUploaded`. */
  removePath: (key: string) => void;
  clearRejections: () => void;
}

function useRequiredQueryClient(): QueryClient {
  try {
    return useQueryClient();
  } catch (cause) {
    throw new Error(
      'ticket-attachment-uploader: <TicketAttachmentUploader> and useTicketAttachmentUpload must be rendered inside a @tanstack/react-query <QueryClientProvider>.',
      { cause },
    );
  }
}

/**
 * Upload state and actions without any rendering or input handling: the queue, the shared
 * authorization query, the controlled/uncontrolled `value` (`useControlledPaths`), and the callbacks.
 * Internal: the public `useTicketAttachmentUpload` adds react-dropzone's prop getters on top.
 */
export function useAttachmentUploadState(options: UseAttachmentUploadStateOptions): AttachmentUploadState {
  const queryClient = useRequiredQueryClient();
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });

  const authQueryOptions = { fetchAuthorization: options.fetchAuthorization, authorizationKey: options.authorizationKey, timeoutMs: options.authorizationTimeoutMs };

  // The queue's callbacks read `latest` only when they run (after render), never during it.
  // eslint-disable-next-line react-hooks/refs
  const [queue] = useState<UploadQueue>(() =>
    createUploadQueue({
      authorize: (request) =>
        authorizeFromQueryClient(
          queryClient,
          {
            fetchAuthorization: (context) => latest.current.fetchAuthorization(context),
            authorizationKey: latest.current.authorizationKey,
            timeoutMs: latest.current.authorizationTimeoutMs,
          },
          request,
        ),
      onUploadSucceeded: (upload) => latest.current.onUploadSucceeded?.(upload.file, upload.key),
      onUploadFailed: (upload) => latest.current.onUploadFailed?.(upload.file, upload.error),
      onBusyChange: (busy) => latest.current.onBusyChange?.(busy),
    }),
  );

  useEffect(() => {
    queue.setOptions({
      send: options.send,
      concurrency: options.concurrency,
      maxAttempts: options.maxAttempts,
      stallTimeoutMs: options.stallTimeoutMs,
      limits: { maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, minFileSize: options.minFileSize },
    });
  }, [queue, options.send, options.concurrency, options.maxAttempts, options.stallTimeoutMs, options.maxFileSize, options.minFileSize]);

  // Unmounting aborts uploads in flight; the queue itself survives StrictMode's remount.
  useEffect(() => () => queue.abortAll(), [queue]);

  const state = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  const isBusy = state.files.some(isFileBusy);

  const authQuery = useQuery({
    ...ossAuthorizationQueryOptions(authQueryOptions),
    // Prefetch on mount so the first drop does not wait; while a batch runs, refresh as the
    // authorization reaches its margin so the next file finds a fresh one (no policy-expired).
    enabled: !options.disabled,
    refetchInterval: (query) => (isBusy && query.state.data ? Math.max(1_000, getAuthorizationUsableUntil(query.state.data) - Date.now()) : false),
  });
  const policy = authQuery.data?.decodedPolicy ?? null;

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
      const { accepted, rejected } = validateFiles(
        files,
        { maxFiles: current.maxFiles ?? DEFAULT_MAX_FILES, maxFileSize: current.maxFileSize, minFileSize: current.minFileSize, accept: current.accept, policy },
        existingCount,
      );
      if (accepted.length > 0) {
        queue.add(accepted);
        current.onFilesAdded?.(accepted);
      }
      setRejections(rejected);
      if (rejected.length > 0) current.onFilesRejected?.(rejected);
      return rejected;
    },
    [queue, existingPaths.length, policy],
  );

  const remove = useCallback(
    (id: string) => {
      const removed = queue.remove(id);
      if (removed?.status === 'done') latest.current.onRemoveUploaded?.(removed.key);
      return removed;
    },
    [queue],
  );

  const removePath = useCallback(
    (key: string) => {
      removeExistingPath(key);
      latest.current.onRemoveUploaded?.(key);
    },
    [removeExistingPath],
  );

  const retryAuthorization = useCallback(() => {
    void authQuery.refetch();
    for (const upload of queue.getSnapshot().files) {
      if (upload.status === 'failed' && isAuthorizationErrorCode(upload.error.code)) queue.retry(upload.id);
    }
  }, [authQuery, queue]);

  const authError = !authQuery.data || authQuery.isError ? (isUploadError(authQuery.error) ? authQuery.error : null) : null;
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
    authorization: {
      status: authQuery.status,
      isFetching: authQuery.isFetching,
      error: authError ?? lastAuthFailure,
      retry: retryAuthorization,
    },
    limits,
    addFiles,
    cancel: queue.cancel,
    retry: queue.retry,
    remove,
    removePath,
    clearRejections: useCallback(() => setRejections([]), []),
  };
}
