'use client';
import { memo, useCallback, useEffect, useId, useMemo, useReducer, useRef } from 'react';
import type { RefObject } from 'react';
import { callUserCallback } from '../core/callUserCallback.js';
import type { UploadError } from '../core/UploadError.js';
import { selectIsWaitingForConnection } from '../core/uploadSelectors.js';
import type { FileRejection } from '../core/validateFile.js';
import { AttachedPathRow, AttachmentRow } from './AttachmentRow.js';
import { describeRowError, describeSizeAgainstLimit, describeUploadError, formatFileSize, resolveMessages } from './uploaderMessages.js';
import type { UploaderLocale, UploaderMessages, UploaderMessagesOverrides } from './uploaderMessages.js';
import { useTicketAttachmentUpload } from '../react/useTicketAttachmentUpload.js';
import type { UseTicketAttachmentUploadOptions } from '../react/useTicketAttachmentUpload.js';
import { visuallyHiddenStyle } from './visuallyHiddenStyle.js';

export type TicketAttachmentUploaderProps = UseTicketAttachmentUploadOptions & {
  /** Renders one hidden `<input name={name} value={key}>` per uploaded key, for native `<form>` posts. */
  name?: string;
  /** UI language. Default `'en'`. */
  locale?: UploaderLocale;
  /** Overrides for any string of the locale. */
  messages?: UploaderMessagesOverrides;
  /** Extra class on the root element. */
  className?: string;
  /** id of the drop zone (so a `<label htmlFor>` can point at it). */
  id?: string;
  /**
   * How many listed files have failed, on mount and whenever that number changes (a retry that
   * succeeds or a removed row lowers it): ask before a submit that would leave them out.
   */
  onFailedCountChange?: (failed: number) => void;
};

const MAX_ANNOUNCEMENTS = 3;

/**
 * The polite live region. The uploader writes its announcements into `announcementsRef` itself (React
 * renders that container, never its children), in the effects of its own commits: a finished file then
 * costs neither a React render of its own nor a frame of its own (docs/browser-rendering.md §2).
 */
const LiveRegion = memo(function LiveRegion({
  announcementsRef,
  offlineText,
}: {
  announcementsRef: RefObject<HTMLDivElement | null>;
  /** Said once when an outage starts (inserted), gone when it ends; null while online. */
  offlineText: string | null;
}) {
  return (
    <div style={visuallyHiddenStyle} role="status" aria-live="polite">
      <div ref={announcementsRef} />
      {/* Inserted once when an outage starts, gone when it ends: said once, however many rows wait. */}
      {offlineText !== null && <p>{offlineText}</p>}
    </div>
  );
});

/** The accepted types for the hint, in the locale's words: "images, .pdf, .txt, .log". */
function describeTypes(accept: Record<string, readonly string[]> | undefined, messages: UploaderMessages): string | null {
  if (!accept) return null;
  const labels = Object.entries(accept).flatMap(([mime, extensions]) => {
    if (extensions.length > 0) return extensions;
    return mime.endsWith('/*') ? [messages.typeGroup(mime.slice(0, -2))] : [mime];
  });
  return labels.length > 0 ? messages.list(labels) : null;
}

function describeRejection(
  rejection: FileRejection,
  limits: { maxFileSize: number; minFileSize: number },
  messages: UploaderMessages,
  locale: UploaderLocale,
): string {
  return messages.sentences(
    rejection.errors.flatMap((error) => {
      const text = describeUploadError(error, messages);
      if (error.code === 'file-too-large')
        return [text, describeSizeAgainstLimit(rejection.file.size, limits.maxFileSize, messages, locale)];
      if (error.code === 'file-too-small')
        return [text, describeSizeAgainstLimit(rejection.file.size, limits.minFileSize, messages, locale)];
      return [text];
    }),
  );
}

/**
 * Attachments for a support ticket: drop, paste or pick files, watch them upload straight to OSS,
 * retry what failed, and hand the stored keys to the form. Must be inside a `QueryClientProvider`.
 */
export function TicketAttachmentUploader(props: TicketAttachmentUploaderProps) {
  const {
    name,
    locale = 'en',
    messages: overrides,
    className,
    id,
    onFailedCountChange,
    onUploadSucceeded,
    onUploadFailed,
    onFilesRejected,
    onFilesAdded,
    ...options
  } = props;
  const messages = useMemo(() => resolveMessages(locale, overrides), [locale, overrides]);
  const announcements = useRef<HTMLDivElement>(null);
  // Announcements wait for the next commit: every one follows a change of the queue's state (the list
  // redraws with the queue's next notification) or the user's own action (rendered at once, below).
  const pendingAnnouncements = useRef<string[]>([]);
  const announce = useCallback((text: string) => {
    pendingAnnouncements.current.push(text);
  }, []);
  // A passive effect: after a render of the sync lane (the queue's notifications through
  // useSyncExternalStore, the user's clicks) React runs it before that commit's task ends, so the
  // announcement lands in the frame the list redraws in; and it does nothing (and warns of nothing) on the server.
  useEffect(() => {
    const container = announcements.current;
    for (const text of pendingAnnouncements.current.splice(0).slice(-MAX_ANNOUNCEMENTS)) {
      const paragraph = document.createElement('p');
      paragraph.textContent = text;
      container?.append(paragraph);
    }
    while (container && container.childElementCount > MAX_ANNOUNCEMENTS) container.firstElementChild?.remove();
  });
  // The user's own action (add, remove) shows in the same frame: this render reads the queue's new state
  // instead of waiting for its next notification.
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const announceAction = useCallback(
    (text: string) => {
      announce(text);
      rerender();
    },
    [announce],
  );

  const upload = useTicketAttachmentUpload({
    ...options,
    onUploadSucceeded: (file: File, key: string) => {
      announce(messages.announce.uploaded(file.name));
      onUploadSucceeded?.(file, key);
    },
    onUploadFailed: (file: File, error: UploadError) => {
      announce(messages.announce.failed(file.name, describeRowError(error, messages)));
      onUploadFailed?.(file, error);
    },
    onFilesAdded: (added: File[]) => {
      announceAction(messages.announce.added(added.map((file) => file.name)));
      onFilesAdded?.(added);
    },
    onFilesRejected: (rejections: FileRejection[]) => {
      for (const rejection of rejections) {
        announceAction(
          messages.announce.rejected(rejection.file.name, describeRejection(rejection, latestLimits.current, messages, locale)),
        );
      }
      onFilesRejected?.(rejections);
    },
  });
  const { files, existingPaths, paths, totals, rejections, authorization, limits, cancel, retry, remove, removePath, clearRejections } =
    upload;
  const { shrink } = upload;
  // Read by the rejection announcement, which runs after render (from the drop handler).
  const latestLimits = useRef(limits);
  useEffect(() => {
    latestLimits.current = limits;
  }, [limits]);
  // Through a ref: an inline callback must not re-report the same count on every render.
  const latestOnFailedCountChange = useRef(onFailedCountChange);
  useEffect(() => {
    latestOnFailedCountChange.current = onFailedCountChange;
  });
  useEffect(() => {
    callUserCallback(latestOnFailedCountChange.current, totals.failed);
  }, [totals.failed]);

  const instructionsId = useId();
  const hintId = useId();
  const fallbackId = useId();
  const onRemove = useCallback(
    (fileId: string) => {
      const removed = remove(fileId);
      if (removed) announceAction(messages.announce.removed(removed.file.name));
    },
    [remove, announceAction, messages],
  );

  const hint = messages.dropzoneHint({
    maxFiles: limits.maxFiles,
    maxFileSize: formatFileSize(limits.maxFileSize, locale),
    types: describeTypes(limits.accept, messages),
  });
  const count = files.length + existingPaths.length;
  // The drop area is only a drop/paste/click target; the keyboard and assistive technology get a
  // native <button> inside it (Enter and Space click it, and the click reaches the area's handler).
  // Its name is exactly its visible text and the instructions are its description (WCAG 2.5.3), and
  // the file input sits outside it, so no interactive control is nested in another.
  const rootProps = upload.getRootProps({ className: 'taup-dropzone', 'data-drag-active': upload.isDragActive || undefined });
  const dropzoneId = id ?? fallbackId;

  return (
    <div className={className ? `taup ${className}` : 'taup'} data-disabled={options.disabled || undefined} lang={locale}>
      <div {...rootProps}>
        <span className="taup-dropzone-icon" aria-hidden="true" />
        <button
          type="button"
          className="taup-dropzone-button"
          id={dropzoneId}
          disabled={options.disabled}
          aria-describedby={`${instructionsId} ${hintId}`}
        >
          {messages.dropzoneLabel}
        </button>
        {/* Blocks, not spans: unstyled, each sentence gets its own line instead of running into the button's. */}
        <div className="taup-dropzone-instructions" id={instructionsId}>
          {upload.isDragActive ? messages.dropzoneActive : messages.dropzoneTitle}
        </div>
        <div className="taup-hint" id={hintId}>
          {hint}
        </div>
      </div>
      {/* Outside the button: an input inside it would be a nested interactive control. */}
      <input {...upload.getInputProps({ 'aria-label': messages.inputLabel })} />

      {authorization.error && (
        <div className="taup-alert" role="alert">
          <span>{messages.sentences([messages.authorizationFailed, describeUploadError(authorization.error, messages)])}</span>{' '}
          <button type="button" className="taup-button" onClick={authorization.retry}>
            {messages.retryAuthorization}
          </button>
        </div>
      )}

      {rejections.length > 0 && (
        <div className="taup-rejections" role="group" aria-label={messages.rejectionsTitle}>
          <div className="taup-rejections-head">
            <span>{messages.rejectionsTitle}</span>{' '}
            <button type="button" className="taup-button taup-button-quiet" onClick={clearRejections}>
              {messages.dismiss}
            </button>
          </div>
          <ul className="taup-rejections-list">
            {rejections.map((rejection, index) => (
              <li key={`${rejection.file.name}-${index}`}>
                <span className="taup-name">{rejection.file.name}</span>
                {messages.rejectionSeparator}
                {describeRejection(rejection, limits, messages, locale)}
              </li>
            ))}
          </ul>
        </div>
      )}

      {count > 0 && (
        <>
          <p className="taup-summary">
            {messages.summary({
              done: totals.done + existingPaths.length,
              count,
              percent: totals.percent,
              failed: totals.failed,
              busy: upload.isBusy,
            })}
          </p>
          <ul className="taup-list" aria-label={messages.listLabel}>
            {existingPaths.map((path) => (
              <AttachedPathRow key={path} path={path} messages={messages} onRemove={removePath} />
            ))}
            {files.map((entry) => (
              <AttachmentRow
                key={entry.id}
                upload={entry}
                messages={messages}
                locale={locale}
                onRetry={retry}
                onCancel={cancel}
                onRemove={onRemove}
                onShrink={shrink}
              />
            ))}
          </ul>
        </>
      )}

      <LiveRegion
        announcementsRef={announcements}
        offlineText={selectIsWaitingForConnection({ files }) ? messages.announce.offline : null}
      />

      {name && paths.map((path) => <input key={path} type="hidden" name={name} value={path} />)}
    </div>
  );
}
