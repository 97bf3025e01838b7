import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { TicketAttachmentUploader, toAttachmentsParam, toFileNameList, type UploaderLocale } from '../src';
import { discardAttachment, fetchAuthorization, fetchUploadUrl, type DemoApiVersion } from './demoApi';
import type { DemoStrings } from './demoStrings';

export interface TicketComposerProps {
  mode: 'ticket' | 'reply';
  /**
   * The Work Order API the post goes through, which picks the upload mode: 2016-08-30 uploads with
   * getOSSTempAuthor's POST policy (`fetchAuthorization`), 2021-06-10 with a presigned PUT per file
   * (`fetchUploadUrl`).
   */
  apiVersion: DemoApiVersion;
  locale: UploaderLocale;
  strings: DemoStrings;
  onSubmit: (input: { title: string; content: string; attachments: string }) => Promise<void>;
}

/** Where the uploaded keys of each API version go: `attachments` of add / QuestionReply, `FileNameList` of CreateTicket / ReplyTicket. */
const keysParam = (apiVersion: DemoApiVersion, keys: readonly string[]): string =>
  apiVersion === '2016-08-30' ? toAttachmentsParam(keys) : toFileNameList(keys);

/**
 * The "New ticket" and "Reply" forms: text fields plus attachments, submit blocked while uploads run,
 * and a question before submitting without an attachment that failed. When `apiVersion` changes, the
 * attachments start over and the form says so.
 */
export function TicketComposer({ mode, apiVersion, locale, strings, onSubmit }: TicketComposerProps) {
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const [attachments, setAttachments] = useState<string[]>([]);
  const [isUploading, setIsUploading] = useState(false);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failedCount, setFailedCount] = useState(0);
  const [askedAboutFailed, setAskedAboutFailed] = useState(false);
  const [uploaderApiVersion, setUploaderApiVersion] = useState(apiVersion);
  const [reset, setReset] = useState<{ from: DemoApiVersion; to: DemoApiVersion; orphans: string[] } | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const submitWithoutButton = useRef<HTMLButtonElement>(null);
  const ids = { title: useId(), content: useId(), attachments: useId(), help: useId(), status: useId(), failed: useId() };
  // Gone as soon as nothing failed any more (a retry succeeded, the row was removed).
  const isAskingAboutFailed = askedAboutFailed && failedCount > 0;

  // A key of one API is not valid for the other (2016-08-30 checks its pop_temp dirs, 2021-06-10 the
  // keys its GetAttachmentUploadUrl issued), so a switch starts the attachments over: adjusted while
  // rendering, so the old uploader and its keys never render with the new mode.
  if (uploaderApiVersion !== apiVersion) {
    const hadAttachments = attachments.length > 0 || isUploading || failedCount > 0;
    setUploaderApiVersion(apiVersion);
    setAttachments([]);
    setIsUploading(false);
    setFailedCount(0);
    setAskedAboutFailed(false);
    setReset(hadAttachments ? { from: uploaderApiVersion, to: apiVersion, orphans: attachments } : null);
  }

  useEffect(() => {
    // Uploaded but never submitted: delete them, as a removed row would be.
    for (const key of reset?.orphans ?? []) discardAttachment(key).catch(() => undefined);
  }, [reset]);

  useEffect(() => {
    if (isAskingAboutFailed) submitWithoutButton.current?.focus();
  }, [isAskingAboutFailed]);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (content.trim() === '') {
      setError(strings.required);
      return;
    }
    setError(null);
    // A failed file is not in `attachments`: submitting now would silently leave it out.
    if (failedCount > 0) {
      setAskedAboutFailed(true);
      return;
    }
    void submit();
  }

  function goBack() {
    setAskedAboutFailed(false);
    submitButton.current?.focus();
  }

  async function submit() {
    setAskedAboutFailed(false);
    setIsSubmitting(true);
    try {
      await onSubmit({ title, content, attachments: keysParam(uploaderApiVersion, attachments) });
      setTitle('');
      setContent('');
      setAttachments([]);
      setReset(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setIsSubmitting(false);
    }
  }

  const submitLabel = mode === 'ticket' ? strings.submit : strings.sendReply;
  return (
    <form className="composer" onSubmit={handleSubmit} noValidate aria-label={mode === 'ticket' ? strings.newTicket : strings.reply}>
      {mode === 'ticket' && (
        <div className="field">
          <label htmlFor={ids.title}>{strings.title}</label>
          <input
            id={ids.title}
            name="title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder={strings.titlePlaceholder}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.content}>{mode === 'ticket' ? strings.description : strings.replyLabel}</label>
        <textarea
          id={ids.content}
          name="content"
          rows={mode === 'ticket' ? 5 : 3}
          required
          aria-invalid={error === strings.required || undefined}
          value={content}
          onChange={(event) => setContent(event.target.value)}
          placeholder={mode === 'ticket' ? strings.descriptionPlaceholder : strings.replyPlaceholder}
        />
      </div>
      <div className="field">
        <span className="field-label" id={ids.help}>
          {strings.attachments} <span className="field-help">{strings.attachmentsHelp}</span>
        </span>
        {reset && (
          <p className="form-notice" role="status">
            {strings.attachmentsReset(reset.from, reset.to)}
          </p>
        )}
        <TicketAttachmentUploader
          // A new uploader per mode: nothing of the other mode's queue or authorization carries over.
          key={uploaderApiVersion}
          id={ids.attachments}
          {...(uploaderApiVersion === '2016-08-30' ? { fetchAuthorization } : { fetchUploadUrl })}
          value={attachments}
          onChange={setAttachments}
          onBusyChange={setIsUploading}
          onFailedCountChange={setFailedCount}
          onFilesAdded={() => setReset(null)}
          onRemoveUploaded={(key) => {
            discardAttachment(key).catch((caught: Error) => setError(caught.message));
          }}
          locale={locale}
          accept={{ 'image/*': [], 'application/pdf': ['.pdf'], 'text/plain': ['.txt', '.log'], 'application/zip': ['.zip'] }}
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {isAskingAboutFailed && (
        <div className="confirm-failed" role="group" aria-labelledby={ids.failed}>
          <p id={ids.failed}>{strings.failedAttachments(failedCount)}</p>
          <div className="form-actions">
            <button type="button" className="primary" ref={submitWithoutButton} onClick={() => void submit()}>
              {strings.submitWithoutFailed(failedCount)}
            </button>
            <button type="button" className="secondary" onClick={goBack}>
              {strings.goBack}
            </button>
          </div>
        </div>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          ref={submitButton}
          disabled={isUploading || isSubmitting}
          aria-describedby={isUploading ? ids.status : undefined}
        >
          {isSubmitting ? strings.submitting : submitLabel}
        </button>
        {isUploading && (
          <span className="form-status" id={ids.status}>
            {strings.waitForUploads}
          </span>
        )}
      </div>
    </form>
  );
}
