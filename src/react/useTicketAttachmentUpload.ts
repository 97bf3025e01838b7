'use client';
import { useMemo } from 'react';
import { useDropzone } from 'react-dropzone';
import type { DropzoneInputProps, DropzoneRootProps } from 'react-dropzone';
import { toAcceptAttribute } from '../core/AcceptMap.js';
import { useAttachmentUploadState } from './useAttachmentUploadState.js';
import type { AttachmentUploadState, UseAttachmentUploadStateOptions } from './useAttachmentUploadState.js';

export type UseTicketAttachmentUploadOptions = UseAttachmentUploadStateOptions;

export interface UseTicketAttachmentUploadResult extends AttachmentUploadState {
  /** react-dropzone's root props: spread on the drop zone (click, keyboard, drag and drop, paste). */
  getRootProps: <T extends DropzoneRootProps>(props?: T) => T;
  /** react-dropzone's input props: spread on a `<input>` (the `accept` attribute is filled in). */
  getInputProps: <T extends DropzoneInputProps>(props?: T) => T;
  isDragActive: boolean;
  /** Opens the file dialog. */
  open: () => void;
}

/**
 * Everything `<TicketAttachmentUploader>` does, for a fully custom UI: upload state and actions
 * plus react-dropzone's prop getters. Validation is ours (one path, localised reasons), so
 * react-dropzone is given no limits and passes every file through.
 */
export function useTicketAttachmentUpload(options: UseTicketAttachmentUploadOptions): UseTicketAttachmentUploadResult {
  const uploads = useAttachmentUploadState(options);
  // onDrop: react-dropzone ignores what it returns (the rejections).
  // noKeyboard: the keyboard is served by a native <button> inside the root (see TicketAttachmentUploader);
  // custom UIs can do the same, or call `open()`.
  const dropzone = useDropzone({
    onDrop: uploads.addFiles,
    disabled: options.disabled,
    multiple: true,
    useFsAccessApi: false,
    noKeyboard: true,
  });
  const acceptAttribute = toAcceptAttribute(options.accept);
  const { getInputProps: getDropzoneInputProps } = dropzone;
  const getInputProps = useMemo(
    () =>
      <T extends DropzoneInputProps>(props?: T): T =>
        getDropzoneInputProps({ ...(acceptAttribute ? { accept: acceptAttribute } : {}), ...props } as T),
    [getDropzoneInputProps, acceptAttribute],
  );
  return { ...uploads, getRootProps: dropzone.getRootProps, getInputProps, isDragActive: dropzone.isDragActive, open: dropzone.open };
}
