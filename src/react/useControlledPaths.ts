'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { callUserCallback } from '../core/callUserCallback.js';
import type { UploadQueue } from '../core/createUploadQueue.js';
import { selectPaths } from '../core/uploadSelectors.js';

export interface ControlledPathsOptions {
  /** Object keys of the attached files (controlled). */
  value: readonly string[] | undefined;
  /** Initial object keys (uncontrolled). */
  defaultValue: readonly string[] | undefined;
  /** Called with every attached key, in order, whenever that list changes. Read when it runs, so it may change on every render. */
  onChange: ((paths: string[]) => void) | undefined;
  /** Keys of the files uploaded by this instance, in the order they were added. */
  uploadedPaths: readonly string[];
  /** The uploads this instance owns: a `value` set from outside removes the ones it no longer holds. */
  queue: Pick<UploadQueue, 'getSnapshot' | 'remove'>;
}

export interface ControlledPaths {
  /** Keys from `value`/`defaultValue` that were not uploaded by this instance (shown as attached). */
  existingPaths: readonly string[];
  /** Every attached key: `existingPaths`, then `uploadedPaths`. Same array while its content is the same. */
  paths: string[];
  /** Drops one of `existingPaths` (the caller tells the backend). */
  removeExistingPath: (key: string) => void;
}

const EMPTY: readonly string[] = [];

/**
 * The controlled/uncontrolled `value` of the uploader: which keys were attached before (or from
 * outside), the list handed to `onChange`, and a parent's reset (a form reset to `[]`, a loaded
 * draft) told apart from the parent echoing back what `onChange` sent.
 */
export function useControlledPaths({ value, defaultValue, onChange, uploadedPaths, queue }: ControlledPathsOptions): ControlledPaths {
  const latest = useRef({ value, onChange });
  useEffect(() => {
    latest.current = { value, onChange };
  });

  // Keys attached before this uploader mounted (value/defaultValue), or set from outside later.
  const [existingPaths, setExistingPaths] = useState<readonly string[]>(() => value ?? defaultValue ?? EMPTY);
  const pathsKey = [...existingPaths, ...uploadedPaths].join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content so the array is stable across progress renders
  const paths = useMemo(() => [...existingPaths, ...uploadedPaths], [pathsKey]);

  // Lists sent through onChange that the parent has not echoed back as `value` yet. Uploads can
  // finish in quick succession, so `value` may lag several emissions behind; an older echo must not
  // be mistaken for the parent changing `value` (which would drop a fresh upload).
  const lastEmitted = useRef((value ?? defaultValue ?? EMPTY).join('\n'));
  const pendingEchoes = useRef<string[]>([]);
  useEffect(() => {
    const key = paths.join('\n');
    if (key === lastEmitted.current) return;
    lastEmitted.current = key;
    pendingEchoes.current.push(key);
    // Thrown from an effect, the app's error would unmount the uploader mid-batch: reported instead.
    callUserCallback(latest.current.onChange, paths);
  }, [paths]);

  // A controlled `value` set from outside (a form reset, a loaded draft) wins over what was uploaded.
  const valueKey = value?.join('\n');
  useEffect(() => {
    const current = latest.current.value;
    if (current === undefined || valueKey === undefined) return;
    const echo = pendingEchoes.current.indexOf(valueKey);
    if (echo >= 0) {
      pendingEchoes.current.splice(0, echo + 1);
      return;
    }
    if (valueKey === lastEmitted.current) return;
    lastEmitted.current = valueKey;
    pendingEchoes.current = [];
    const keep = new Set(current);
    for (const upload of queue.getSnapshot().files) {
      const stale = upload.status === 'done' ? !keep.has(upload.key) : current.length === 0;
      if (stale) queue.remove(upload.id);
    }
    const uploaded = new Set(selectPaths(queue.getSnapshot()));
    // Syncing from a prop the parent changed, after checking it is not our own echo.
    setExistingPaths(current.filter((key) => !uploaded.has(key)));
  }, [valueKey, queue]);

  const removeExistingPath = useCallback((key: string) => {
    setExistingPaths((current) => current.filter((path) => path !== key));
  }, []);

  return { existingPaths, paths, removeExistingPath };
}
