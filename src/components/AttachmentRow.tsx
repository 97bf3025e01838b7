'use client';
import { memo } from 'react';
import type { CSSProperties } from 'react';
import type { FileUpload } from '../core/uploadReducer.js';
import { isFileBusy, selectFilePercent } from '../core/uploadSelectors.js';
import { describeRowError, formatFileSize } from './uploaderMessages.js';
import type { UploaderLocale, UploaderMessages } from './uploaderMessages.js';
import { useObjectUrl } from './useObjectUrl.js';

export interface AttachmentRowProps {
  upload: FileUpload;
  messages: UploaderMessages;
  locale: UploaderLocale;
  onRetry: (id: string) => void;
  onCancel: (id: string) => void;
  onRemove: (id: string) => void;
  /** Accepts the offer to shrink an image over the limit. */
  onShrink: (id: string) => void;
}

function statusText(upload: FileUpload, messages: UploaderMessages): string {
  switch (upload.status) {
    case 'queued':
      if (upload.waitingForConnection) return messages.status.waitingForConnection;
      return upload.retry ? messages.status.retrying(upload.retry.attempt) : messages.status.queued;
    case 'shrinkOffered':
      return messages.errors['file-too-large'];
    case 'shrinking':
      return messages.status.shrinking;
    case 'authorizing':
      return messages.status.authorizing;
    case 'uploading':
      // The browser counts bytes handed to the socket; storage may still be reading them.
      return upload.total > 0 && upload.loaded >= upload.total
        ? messages.status.confirming
        : messages.status.uploading(selectFilePercent(upload));
    case 'done':
      return messages.status.done;
    case 'failed':
      return messages.status.failed;
    case 'canceled':
      return messages.status.canceled;
  }
}

/** Up to 4 characters of the extension, shown on the generic file icon. */
function extensionLabel(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : '';
}

function Thumbnail({ file }: { file: File }) {
  const url = useObjectUrl(file.type.startsWith('image/') ? file : null);
  if (!url) {
    return (
      <span className="taup-file-icon" aria-hidden="true">
        {extensionLabel(file.name)}
      </span>
    );
  }
  return <img className="taup-thumbnail" src={url} alt="" width={40} height={40} />;
}

/** One file: name, size, status, progress, the reason of a failure, and its actions. */
export const AttachmentRow = memo(function AttachmentRow({
  upload,
  messages,
  locale,
  onRetry,
  onCancel,
  onRemove,
  onShrink,
}: AttachmentRowProps) {
  const name = upload.file.name;
  const percent = selectFilePercent(upload);
  // An offered image has nothing to cancel yet: Shrink or Remove.
  const isActive = isFileBusy(upload) && upload.status !== 'shrinkOffered';
  const { originalSize, shrinkTo } = upload;
  const shrinkText = shrinkTo !== undefined && messages.shrinkText(formatFileSize(shrinkTo, locale));
  return (
    <li className="taup-row" data-status={upload.status}>
      <Thumbnail file={upload.file} />
      <div className="taup-row-body">
        <div className="taup-row-head">
          <span className="taup-name" title={name}>
            {name}
          </span>{' '}
          <span className="taup-size">
            {originalSize !== undefined && `${formatFileSize(originalSize, locale)} → `}
            {formatFileSize(upload.file.size, locale)}
          </span>
        </div>
        {/* A status role while shrinking: the row changes with no progress bar to say so. */}
        <div className="taup-status" role={upload.status === 'shrinking' ? 'status' : undefined}>
          {statusText(upload, messages)}
          {originalSize !== undefined && ` · ${messages.locationRemoved}`}
        </div>
        {upload.status === 'uploading' && (
          <div
            className="taup-progress"
            role="progressbar"
            aria-label={messages.progressLabel(name)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
          >
            <div className="taup-progress-bar" style={{ '--taup-progress': percent / 100 } as CSSProperties} />
          </div>
        )}
        {upload.status === 'failed' && <div className="taup-error">{describeRowError(upload.error, messages)}</div>}
      </div>
      {/* The spaces keep unstyled buttons apart; the stylesheet's flex gap ignores them. */}
      <div className="taup-actions">
        {upload.status === 'shrinkOffered' && (
          <>
            <button type="button" className="taup-button" aria-label={`${shrinkText} ${name}`} onClick={() => onShrink(upload.id)}>
              {shrinkText}
            </button>{' '}
          </>
        )}
        {(upload.status === 'failed' || upload.status === 'canceled') && (
          <>
            <button type="button" className="taup-button" aria-label={messages.retry(name)} onClick={() => onRetry(upload.id)}>
              {messages.retryText}
            </button>{' '}
          </>
        )}
        {isActive && (
          <>
            <button type="button" className="taup-button" aria-label={messages.cancel(name)} onClick={() => onCancel(upload.id)}>
              {messages.cancelText}
            </button>{' '}
          </>
        )}
        <button
          type="button"
          className="taup-button taup-button-quiet"
          aria-label={messages.remove(name)}
          onClick={() => onRemove(upload.id)}
        >
          {messages.removeText}
        </button>
      </div>
    </li>
  );
});

export interface AttachedPathRowProps {
  path: string;
  messages: UploaderMessages;
  onRemove: (path: string) => void;
}

/** A key that was attached before this uploader mounted (`value` / `defaultValue`). */
export const AttachedPathRow = memo(function AttachedPathRow({ path, messages, onRemove }: AttachedPathRowProps) {
  const name = path.slice(path.lastIndexOf('/') + 1) || path;
  return (
    <li className="taup-row" data-status="done">
      <span className="taup-file-icon" aria-hidden="true">
        {extensionLabel(name)}
      </span>
      <div className="taup-row-body">
        <div className="taup-row-head">
          <span className="taup-name" title={path}>
            {name}
          </span>
        </div>
        <div className="taup-status">{messages.status.attached}</div>
      </div>
      <div className="taup-actions">
        <button type="button" className="taup-button taup-button-quiet" aria-label={messages.remove(name)} onClick={() => onRemove(path)}>
          {messages.removeText}
        </button>
      </div>
    </li>
  );
});
