import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TicketAttachmentUploader, UploadError, type TicketAttachmentUploaderProps, type UploaderMessagesOverrides } from '../../src';
import { bytesOf, createDataTransfer, dropFiles } from '../support/dropFiles';
import { makeFile, makeTextFile } from '../../fixtures';
import {
  authorizationHttpError,
  authorizationMalformed,
  authorizationOk,
  authorizationRejected,
  authorizationWithHost,
  DEFAULT_DIR,
  fetchAuthorization,
  ossAccessDenied,
  ossAfter,
  ossHang,
  ossInternalError,
  ossNetworkError,
  ossOk,
  ossPolicyExpired,
  OSS_HOST,
  POST_OBJECT_FIELD_ORDER,
  useFakeBackend,
  type AuthorizationResponder,
} from '../support/ossHandlers';
import { renderWithClient } from '../support/renderWithClient';
import { attachmentRows, dropzone, expectRowStatus, fileInput, getRow, rejectionItem, renderUploader } from '../support/uploaderHarness';

const TWO_MB = 2_097_152;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('selecting files', () => {
  it('uploads three files picked with the labelled input after ONE authorization request, and emits their keys in the order they were added', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const onUploadSucceeded = vi.fn();
    const files = [
      makeFile('report.pdf', 3000),
      makeFile('screenshot.png', 2000, 'image/png'),
      makeTextFile('notes.txt', 'line 1\nline 2\n'),
    ];
    const { user } = renderUploader({ onChange, onUploadSucceeded });

    await user.upload(fileInput(), files);

    for (const file of files) await expectRowStatus(file.name, 'Uploaded');
    expect(backend.authorizationRequests).toBe(1);
    expect(backend.uploads).toHaveLength(3);

    const keyOf = (name: string) => backend.uploads.find((upload) => upload.file?.name === name)?.key;
    const keys = files.map((file) => keyOf(file.name));
    expect(onChange).toHaveBeenLastCalledWith(keys);
    for (const file of files) {
      const received = backend.uploads.find((upload) => upload.file?.name === file.name);
      expect(received?.fieldNames).toEqual([...POST_OBJECT_FIELD_ORDER]);
      expect(received?.file?.bytes).toEqual(await bytesOf(file));
    }
    for (const [paths] of onChange.mock.calls as [string[]][]) {
      // Every intermediate list is in add order too, whatever order the uploads finished in.
      expect(paths).toEqual(keys.filter((key) => paths.includes(key as string)));
    }
    for (const file of files) {
      const key = keyOf(file.name) as string;
      expect(key.startsWith(DEFAULT_DIR)).toBe(true);
      expect(key.endsWith(`/${file.name}`)).toBe(true);
      expect(onUploadSucceeded).toHaveBeenCalledWith(file, key);
    }
  });

  it('sends each file to the bucket as a PostObject form: fields in order, file last, exact bytes and name, the authorization it was given', async () => {
    const backend = useFakeBackend();
    const file = makeFile('report.pdf', 54_321);
    const { user } = renderUploader();

    await user.upload(fileInput(), file);
    await expectRowStatus('report.pdf', 'Uploaded');

    const [upload] = backend.uploads;
    expect(upload?.url).toBe(OSS_HOST);
    expect(upload?.fieldNames).toEqual([...POST_OBJECT_FIELD_ORDER]);
    expect(upload?.accessId).toBe('LTAI5tTestAccessId1');
    expect(upload?.signature).toBe('test-signature-1=');
    expect(upload?.fields.success_action_status).toBe('200');
    expect(upload?.fields['Content-Disposition']).toContain('filename="report.pdf"');
    expect(upload?.file).toMatchObject({ name: 'report.pdf', size: 54_321, type: 'application/pdf' });
    expect(upload?.file?.bytes).toEqual(await bytesOf(file));
    // Only CORS-safelisted headers, so the bucket's CORS rule needs no AllowedHeader entry. The browser still preflights
    // this POST, because the progress listener on xhr.upload forces it (docs/oss-protocol.md §5 "Preflight").
    expect(upload?.headerNames.filter((name) => name !== 'content-type')).toEqual([]);
  });

  it('uploads files dropped on the "Attach files" button', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const file = makeFile('dropped.pdf', 4096);
    renderUploader({ onChange });

    dropFiles(dropzone(), [file]);

    await expectRowStatus('dropped.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(1);
    expect(backend.uploads[0]?.file?.bytes).toEqual(await bytesOf(file));
    expect(onChange).toHaveBeenLastCalledWith([backend.uploads[0]?.key]);
  });

  it('uploads files pasted into the drop zone', async () => {
    const backend = useFakeBackend();
    const file = makeFile('pasted.png', 512, 'image/png');
    renderUploader();

    fireEvent.paste(dropzone(), { clipboardData: createDataTransfer([file]) });

    await expectRowStatus('pasted.png', 'Uploaded');
    expect(backend.uploads.map((upload) => upload.file?.name)).toEqual(['pasted.png']);
  });
});

describe('what the list shows', () => {
  it('shows that files are dragged over the drop zone', async () => {
    useFakeBackend();
    renderUploader();
    const dataTransfer = createDataTransfer([makeFile('report.pdf')]);

    fireEvent.dragEnter(dropzone(), { dataTransfer });
    expect(await screen.findByText('Drop the files to attach them')).toBeInTheDocument();
    fireEvent.dragLeave(dropzone(), { dataTransfer });
    await waitFor(() => expect(screen.queryByText('Drop the files to attach them')).not.toBeInTheDocument());
  });

  it('summarises the batch: uploaded count and failures', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader();
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    expect(screen.getByText('2 of 2 uploaded')).toBeInTheDocument();

    backend.oss.always(ossAccessDenied());
    await user.upload(fileInput(), makeFile('c.pdf'));
    await expectRowStatus('c.pdf', 'Failed');
    expect(screen.getByText('2 of 3 uploaded · 1 failed')).toBeInTheDocument();
  });

  it('shows a thumbnail for images only, and revokes every object URL it created once the files are gone', async () => {
    useFakeBackend();
    const created = vi.spyOn(URL, 'createObjectURL');
    const revoked = vi.spyOn(URL, 'revokeObjectURL');
    const { user, unmount } = renderUploader();
    await user.upload(fileInput(), [makeFile('photo.png', 300, 'image/png'), makeFile('report.pdf')]);
    await expectRowStatus('photo.png', 'Uploaded');

    // The thumbnail's object URL is created in an effect, so it shows one render after the row.
    await waitFor(() => expect(getRow('photo.png').querySelector('img')).toBeInTheDocument());
    expect(getRow('report.pdf').querySelector('img')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove photo.png' }));
    unmount();

    const urls = created.mock.results.map((result) => result.value as string);
    expect(urls.length).toBeGreaterThan(0);
    expect(new Set(revoked.mock.calls.map(([url]) => url))).toEqual(new Set(urls));
  });

  it('uploads a file with a Chinese name: the key, the file part and Content-Disposition keep the name', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader();

    await user.upload(fileInput(), makeFile('发票 2024.pdf', 700));

    await expectRowStatus('发票 2024.pdf', 'Uploaded');
    const [upload] = backend.uploads;
    expect(upload?.key).toMatch(new RegExp(`^${DEFAULT_DIR}[^/]+/发票 2024\\.pdf$`));
    expect(upload?.file?.name).toBe('发票 2024.pdf');
    expect(upload?.fields['Content-Disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('发票 2024.pdf')}`);
  });

  it('shows a file name with markup and path characters literally, and keeps them out of the object key', async () => {
    const backend = useFakeBackend();
    const name = '<img src=x onerror=alert(1)>..%2f..%2fevil,final.png';
    const { user, container } = renderUploader();

    await user.upload(fileInput(), makeFile(name, 100, 'image/png'));

    await expectRowStatus(name, 'Uploaded');
    expect(container.querySelector('img[src="x"]')).not.toBeInTheDocument();
    const key = backend.uploads[0]?.key ?? '';
    expect(key.startsWith(DEFAULT_DIR)).toBe(true);
    expect(key.slice(DEFAULT_DIR.length).split('/')).toHaveLength(2);
    expect(key).not.toMatch(/[<>%,]|\.\.\//);
  });

  it('dismisses the "Not attached" list', async () => {
    useFakeBackend();
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('huge.bin', TWO_MB + 1));

    await user.click(within(screen.getByRole('group', { name: 'Not attached' })).getByRole('button', { name: 'Dismiss' }));

    expect(screen.queryByRole('group', { name: 'Not attached' })).not.toBeInTheDocument();
  });
});

describe('checking files before any request', () => {
  it('rejects a file one byte over 2 MB with its reason under "Not attached", sends nothing for it, and accepts exactly 2 MB', async () => {
    const backend = useFakeBackend();
    const onFilesRejected = vi.fn();
    const { user } = renderUploader({ onFilesRejected });
    await waitFor(() => expect(backend.authorizationRequests).toBe(1)); // the mount prefetch

    await user.upload(fileInput(), [
      makeFile('too-big.bin', TWO_MB + 1, 'application/octet-stream'),
      makeFile('just-fits.bin', TWO_MB, 'application/octet-stream'),
    ]);

    expect(rejectionItem('too-big.bin')).toHaveTextContent('too-big.bin — The file is larger than the size limit.');
    await expectRowStatus('just-fits.bin', 'Uploaded');
    expect(backend.uploads.map((upload) => [upload.file?.name, upload.file?.size])).toEqual([['just-fits.bin', TWO_MB]]);
    expect(backend.authorizationRequests).toBe(1);
    expect(() => getRow('too-big.bin')).toThrow();
    expect(onFilesRejected).toHaveBeenCalledTimes(1);
    expect(onFilesRejected.mock.calls[0]?.[0]).toMatchObject([{ file: { name: 'too-big.bin' }, errors: [{ code: 'file-too-large' }] }]);
  });

  it('rejects a type that `accept` does not list, dropped or picked through "All files"', async () => {
    const backend = useFakeBackend();
    const onFilesRejected = vi.fn();
    renderUploader({ accept: { 'image/*': [], 'application/pdf': ['.pdf'] }, onFilesRejected });
    // A person can switch the dialog to "All files"; user-event would otherwise filter by the accept attribute.
    const user = userEvent.setup({ applyAccept: false });
    expect(fileInput()).toHaveAttribute('accept', 'image/*,application/pdf,.pdf');

    await user.upload(fileInput(), makeTextFile('notes.txt', 'plain text'));
    expect(rejectionItem('notes.txt')).toHaveTextContent('notes.txt — This file type is not accepted.');

    dropFiles(dropzone(), [makeFile('setup.exe', 100, 'application/x-msdownload'), makeFile('photo.jpg', 100, 'image/jpeg')]);
    await waitFor(() => expect(rejectionItem('setup.exe')).toHaveTextContent('This file type is not accepted.'));
    await expectRowStatus('photo.jpg', 'Uploaded');

    expect(backend.uploads.map((upload) => upload.file?.name)).toEqual(['photo.jpg']);
    expect(backend.authorizationRequests).toBe(1);
    expect(
      onFilesRejected.mock.calls.flatMap(([rejections]) => rejections.map((rejection: { file: File }) => rejection.file.name)),
    ).toEqual(['notes.txt', 'setup.exe']);
  });

  it('rejects a 4th file in one selection (maxFiles 3) and sends only the first three', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader();

    await user.upload(fileInput(), [makeFile('1.pdf'), makeFile('2.pdf'), makeFile('3.pdf'), makeFile('4.pdf')]);

    expect(rejectionItem('4.pdf')).toHaveTextContent('4.pdf — Too many files: remove one to add another.');
    for (const name of ['1.pdf', '2.pdf', '3.pdf']) await expectRowStatus(name, 'Uploaded');
    expect(backend.uploads.map((upload) => upload.file?.name).sort()).toEqual(['1.pdf', '2.pdf', '3.pdf']);
    expect(backend.authorizationRequests).toBe(1);
  });

  it('counts files already uploaded towards maxFiles', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader({ maxFiles: 2 });
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('b.pdf', 'Uploaded');

    await user.upload(fileInput(), makeFile('c.pdf'));

    expect(rejectionItem('c.pdf')).toHaveTextContent('Too many files');
    expect(backend.uploads).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Remove a.pdf' }));
    await user.upload(fileInput(), makeFile('c.pdf'));
    await expectRowStatus('c.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(3);
  });

  it("fails a file over the policy's own limit found only once the policy arrives, without sending it", async () => {
    const backend = useFakeBackend({ maxSize: 1000 });
    backend.authorization.once(async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return authorizationOk({ maxSize: 1000 })(context);
    });
    const { user } = renderUploader();

    await user.upload(fileInput(), makeFile('scan.pdf', 5000));

    const row = await expectRowStatus('scan.pdf', 'Failed');
    expect(row).toHaveTextContent('The file is larger than the size limit.');
    expect(backend.uploads).toHaveLength(0);

    await user.upload(fileInput(), makeFile('scan2.pdf', 5000));
    expect(rejectionItem('scan2.pdf')).toHaveTextContent('The file is larger than the size limit.');
  });
});

describe('authorization lifetime', () => {
  it('fetches a new authorization when the cached one expired between two files', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const backend = useFakeBackend();
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('first.pdf'));
    await expectRowStatus('first.pdf', 'Uploaded');
    expect(backend.authorizationRequests).toBe(1);

    // 2-minute authorization, 15 s safety margin: at +106 s no new upload may start with it.
    vi.setSystemTime(Date.now() + 106_000);
    await user.upload(fileInput(), makeFile('second.pdf'));
    await expectRowStatus('second.pdf', 'Uploaded');

    expect(backend.authorizationRequests).toBe(2);
    expect(backend.uploads.map((upload) => upload.signature)).toEqual(['test-signature-1=', 'test-signature-2=']);
  });

  it('keeps using the cached authorization while it is fresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const backend = useFakeBackend();
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('first.pdf'));
    await expectRowStatus('first.pdf', 'Uploaded');

    vi.setSystemTime(Date.now() + 90_000);
    await user.upload(fileInput(), makeFile('second.pdf'));
    await expectRowStatus('second.pdf', 'Uploaded');

    expect(backend.authorizationRequests).toBe(1);
  });

  it('re-authorizes and retries once when OSS answers "Policy expired", and the file ends uploaded without user action', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossPolicyExpired());
    const onUploadFailed = vi.fn();
    const onChange = vi.fn();
    const { user } = renderUploader({ onUploadFailed, onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.authorizationRequests).toBe(2);
    expect(backend.uploads.map((upload) => upload.signature)).toEqual(['test-signature-1=', 'test-signature-2=']);
    expect(onUploadFailed).not.toHaveBeenCalled();
    expect(onChange).toHaveBeenLastCalledWith([backend.uploads[1]?.key]);
  });
});

describe('storage failures', () => {
  it.each([
    ['a 500 InternalError', ossInternalError],
    ['a dropped connection', ossNetworkError],
  ])('retries automatically after %s and ends uploaded', async (_label, failure) => {
    const backend = useFakeBackend();
    backend.oss.once(failure());
    const { user } = renderUploader();

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Retrying (attempt 2)');
    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(2);
    expect(backend.uploads[1]?.file?.name).toBe('report.pdf');
  });

  it('gives up after maxAttempts on a persistent 500, with a readable reason and a Retry', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossInternalError());
    const { user } = renderUploader({ maxAttempts: 2 });

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('Storage could not save the file.');
    expect(backend.uploads).toHaveLength(2);
    expect(within(row).getByRole('button', { name: 'Retry report.pdf' })).toBeInTheDocument();
  });

  it('fails an upload that makes no progress for stallTimeoutMs and aborts its request', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossHang());
    const abort = vi.spyOn(XMLHttpRequest.prototype, 'abort');
    const { user } = renderUploader({ stallTimeoutMs: 150, maxAttempts: 1 });

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('The upload stalled and timed out.');
    expect(abort).toHaveBeenCalled();
    expect(backend.uploads).toHaveLength(1);
  });

  it('shows a permanent 403 AccessDenied as "Failed" with a readable reason, and "Retry report.pdf" uploads it once storage accepts', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossAccessDenied());
    const onUploadFailed = vi.fn();
    const onChange = vi.fn();
    const { user } = renderUploader({ onUploadFailed, onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('Storage denied access.');
    expect(row.textContent).not.toMatch(/<|AccessDenied|RequestId/);
    expect(backend.uploads).toHaveLength(1); // a 403 is not retried on its own
    expect(onUploadFailed).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'report.pdf' }),
      expect.objectContaining({ code: 'access-denied', status: 403 }),
    );
    expect(onUploadFailed.mock.calls[0]?.[1]).toBeInstanceOf(UploadError);
    expect(onChange).not.toHaveBeenCalled();

    backend.oss.always(ossOk());
    await user.click(within(row).getByRole('button', { name: 'Retry report.pdf' }));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(2);
    expect(onChange).toHaveBeenLastCalledWith([backend.uploads[1]?.key]);
  });
});

describe('cancel and remove', () => {
  it('cancels an upload in flight: "Canceled", no key emitted, even when storage answers later', async () => {
    const backend = useFakeBackend();
    const storageAnswers = deferred();
    backend.oss.always(ossAfter(storageAnswers.promise));
    const abort = vi.spyOn(XMLHttpRequest.prototype, 'abort');
    const onChange = vi.fn();
    const onUploadSucceeded = vi.fn();
    const { user } = renderUploader({ onChange, onUploadSucceeded });

    await user.upload(fileInput(), makeFile('report.pdf'));
    await waitFor(() => expect(backend.uploads).toHaveLength(1));
    const row = await expectRowStatus('report.pdf', /^Uploading/);
    await user.click(within(row).getByRole('button', { name: 'Cancel report.pdf' }));

    await expectRowStatus('report.pdf', 'Canceled');
    expect(abort).toHaveBeenCalled();
    storageAnswers.resolve();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(getRow('report.pdf')).toHaveTextContent('Canceled');
    expect(within(getRow('report.pdf')).getByRole('button', { name: 'Retry report.pdf' })).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
    expect(onUploadSucceeded).not.toHaveBeenCalled();
  });

  it('removes an uploaded file: onChange drops its key and onRemoveUploaded gets it', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const { user } = renderUploader({ onChange, onRemoveUploaded });
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    const [keyA, keyB] = ['a.pdf', 'b.pdf'].map((name) => backend.uploads.find((upload) => upload.file?.name === name)?.key);

    await user.click(screen.getByRole('button', { name: 'Remove a.pdf' }));

    expect(onChange).toHaveBeenLastCalledWith([keyB]);
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(keyA);
    expect(attachmentRows()).toHaveLength(1);
    expect(() => getRow('a.pdf')).toThrow();
  });

  it('removes an uploaded file when `value` is controlled by the parent', async () => {
    const backend = useFakeBackend();
    const onRemoveUploaded = vi.fn();
    const seen: string[][] = [];
    function Parent() {
      const [paths, setPaths] = useState<string[]>([]);
      return (
        <TicketAttachmentUploader
          fetchAuthorization={fetchAuthorization}
          value={paths}
          onChange={(next) => {
            seen.push(next);
            setPaths(next);
          }}
          onRemoveUploaded={onRemoveUploaded}
        />
      );
    }
    const user = userEvent.setup();
    renderWithClient(<Parent />);
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    const [keyA, keyB] = ['a.pdf', 'b.pdf'].map((name) => backend.uploads.find((upload) => upload.file?.name === name)?.key);

    await user.click(screen.getByRole('button', { name: 'Remove a.pdf' }));

    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(keyA);
    expect(seen.at(-1)).toEqual([keyB]);
    expect(() => getRow('a.pdf')).toThrow();
  });

  it('removes a file still uploading: aborts its request and never emits its key', async () => {
    const backend = useFakeBackend();
    const storageAnswers = deferred();
    backend.oss.always(ossAfter(storageAnswers.promise));
    const abort = vi.spyOn(XMLHttpRequest.prototype, 'abort');
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const { user } = renderUploader({ onChange, onRemoveUploaded });
    await user.upload(fileInput(), makeFile('report.pdf'));
    await waitFor(() => expect(backend.uploads).toHaveLength(1));

    await user.click(await screen.findByRole('button', { name: 'Remove report.pdf' }));
    storageAnswers.resolve();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(abort).toHaveBeenCalled();
    expect(attachmentRows()).toHaveLength(0);
    expect(onChange).not.toHaveBeenCalled();
    expect(onRemoveUploaded).not.toHaveBeenCalled();
  });

  it('removes a file that failed without calling onRemoveUploaded', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossAccessDenied());
    const onRemoveUploaded = vi.fn();
    const { user } = renderUploader({ onRemoveUploaded });
    await user.upload(fileInput(), makeFile('report.pdf'));
    await expectRowStatus('report.pdf', 'Failed');

    await user.click(screen.getByRole('button', { name: 'Remove report.pdf' }));

    expect(attachmentRows()).toHaveLength(0);
    expect(onRemoveUploaded).not.toHaveBeenCalled();
  });
});

describe('value, defaultValue and native forms', () => {
  function ResettableForm(props: Partial<Extract<TicketAttachmentUploaderProps, { fetchAuthorization: unknown }>>) {
    const [paths, setPaths] = useState<string[]>([]);
    return (
      <>
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} value={paths} onChange={setPaths} {...props} />
        <output aria-label="Submitted paths">{paths.join(',')}</output>
        <button type="button" onClick={() => setPaths([])}>
          Reset form
        </button>
      </>
    );
  }

  it('clears the list and the keys when the parent resets a controlled `value` to []', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(<ResettableForm name="attachments" />);
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    await waitFor(() => expect(screen.getByRole('status', { name: 'Submitted paths' }).textContent?.split(',')).toHaveLength(2));

    await user.click(screen.getByRole('button', { name: 'Reset form' }));

    await waitFor(() => expect(attachmentRows()).toHaveLength(0));
    expect(screen.getByRole('status', { name: 'Submitted paths' })).toHaveTextContent('');
    expect(document.querySelectorAll('input[type="hidden"][name="attachments"]')).toHaveLength(0);

    // The limit counts from zero again: three new files fit.
    await user.upload(fileInput(), [makeFile('c.pdf'), makeFile('d.pdf'), makeFile('e.pdf')]);
    for (const name of ['c.pdf', 'd.pdf', 'e.pdf']) await expectRowStatus(name, 'Uploaded');
    expect(backend.uploads).toHaveLength(5);
  });

  it('shows `defaultValue` keys as attached and removable, and counts them towards maxFiles', async () => {
    useFakeBackend();
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const saved = [`${DEFAULT_DIR}old1/invoice.pdf`, `${DEFAULT_DIR}old2/photo.jpg`];
    const { user } = renderUploader({ defaultValue: saved, onChange, onRemoveUploaded });

    expect(within(getRow('invoice.pdf')).getByText('Attached')).toBeInTheDocument();
    expect(within(getRow('photo.jpg')).getByText('Attached')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();

    await user.upload(fileInput(), [makeFile('new.pdf'), makeFile('extra.pdf')]);
    expect(rejectionItem('extra.pdf')).toHaveTextContent('Too many files');
    await expectRowStatus('new.pdf', 'Uploaded');

    await user.click(screen.getByRole('button', { name: 'Remove invoice.pdf' }));
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(saved[0]);
    expect(onChange.mock.lastCall?.[0]).toEqual([saved[1], expect.stringMatching(/new\.pdf$/)]);
    expect(() => getRow('invoice.pdf')).toThrow();
  });

  it('shows controlled `value` keys it did not upload as attached, and removes them through onChange', async () => {
    useFakeBackend();
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const { user } = renderUploader({ value: [`${DEFAULT_DIR}x/draft.pdf`], onChange, onRemoveUploaded });

    expect(within(getRow('draft.pdf')).getByText('Attached')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove draft.pdf' }));

    expect(onChange).toHaveBeenLastCalledWith([]);
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(`${DEFAULT_DIR}x/draft.pdf`);
  });

  it('shows keys the parent loads into `value` after mount (a saved draft)', async () => {
    useFakeBackend();
    function DraftForm() {
      const [paths, setPaths] = useState<string[]>([]);
      return (
        <>
          <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} value={paths} onChange={setPaths} name="attachments" />
          <button type="button" onClick={() => setPaths([`${DEFAULT_DIR}d1/draft.pdf`])}>
            Load draft
          </button>
        </>
      );
    }
    const user = userEvent.setup();
    renderWithClient(<DraftForm />);

    await user.click(screen.getByRole('button', { name: 'Load draft' }));

    expect(within(getRow('draft.pdf')).getByText('Attached')).toBeInTheDocument();
    expect([...document.querySelectorAll<HTMLInputElement>('input[name="attachments"]')].map((input) => input.value)).toEqual([
      `${DEFAULT_DIR}d1/draft.pdf`,
    ]);
  });

  it('renders one hidden input per key for a native <form>, existing keys first, then uploads in add order', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(
      <form aria-label="Ticket">
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} name="attachments" defaultValue={[`${DEFAULT_DIR}old/a.pdf`]} />
      </form>,
    );
    const form = screen.getByRole('form', { name: 'Ticket' }) as HTMLFormElement;
    expect(new FormData(form).getAll('attachments')).toEqual([`${DEFAULT_DIR}old/a.pdf`]);

    await user.upload(fileInput(), [makeFile('b.pdf'), makeFile('c.pdf')]);
    await expectRowStatus('b.pdf', 'Uploaded');
    await expectRowStatus('c.pdf', 'Uploaded');

    const keyOf = (name: string) => backend.uploads.find((upload) => upload.file?.name === name)?.key;
    expect(new FormData(form).getAll('attachments')).toEqual([`${DEFAULT_DIR}old/a.pdf`, keyOf('b.pdf'), keyOf('c.pdf')]);
    // The file input itself must not post the raw files with the form.
    expect(new FormData(form).getAll('attachments').every((value) => typeof value === 'string')).toBe(true);
  });
});

describe('onBusyChange', () => {
  it('reports true then false exactly once per batch', async () => {
    useFakeBackend();
    const onBusyChange = vi.fn();
    const { user } = renderUploader({ onBusyChange });
    expect(onBusyChange).not.toHaveBeenCalled();

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    await waitFor(() => expect(onBusyChange.mock.calls).toEqual([[true], [false]]));

    await user.upload(fileInput(), makeFile('c.pdf'));
    await expectRowStatus('c.pdf', 'Uploaded');
    await waitFor(() => expect(onBusyChange.mock.calls).toEqual([[true], [false], [true], [false]]));
  });

  it('stays busy while a failed upload waits to be retried automatically', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossInternalError());
    const onBusyChange = vi.fn();
    const { user } = renderUploader({ onBusyChange });

    await user.upload(fileInput(), makeFile('a.pdf'));
    await expectRowStatus('a.pdf', 'Uploaded');

    await waitFor(() => expect(onBusyChange.mock.calls).toEqual([[true], [false]]));
  });
});

describe('locale and messages', () => {
  it('speaks Chinese with locale="zh-CN"', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossAccessDenied());
    const user = userEvent.setup();
    renderWithClient(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} locale="zh-CN" />);

    expect(screen.getByRole('button', { name: '添加附件' })).toBeInTheDocument();
    await user.upload(screen.getByLabelText('选择要添加的附件'), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', '上传失败', { listName: '附件' });
    expect(row).toHaveTextContent('存储服务拒绝访问。');
    await user.click(within(row).getByRole('button', { name: '重试 report.pdf' }));
    await expectRowStatus('report.pdf', '已上传', { listName: '附件' });
    expect(within(getRow('report.pdf', '附件')).getByRole('button', { name: '移除 report.pdf' })).toBeInTheDocument();
  });

  it('uses `messages` overrides over the locale', async () => {
    useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(
      <TicketAttachmentUploader
        fetchAuthorization={fetchAuthorization}
        messages={{ dropzoneLabel: 'Add evidence', inputLabel: 'Pick evidence files', remove: (name) => `Discard ${name}` }}
      />,
    );

    expect(screen.getByRole('button', { name: 'Add evidence' })).toBeInTheDocument();
    await user.upload(screen.getByLabelText('Pick evidence files'), makeFile('report.pdf'));
    await expectRowStatus('report.pdf', 'Uploaded');
    expect(screen.getByRole('button', { name: 'Discard report.pdf' })).toBeInTheDocument();
  });

  it('overrides one nested string (status.done) and keeps the rest of the locale', async () => {
    useFakeBackend();
    const user = userEvent.setup();
    const messages: UploaderMessagesOverrides = { status: { done: 'Stored' } };
    renderWithClient(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} messages={messages} />);

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Stored');
    expect(screen.getByRole('button', { name: 'Remove report.pdf' })).toBeInTheDocument();
  });
});

describe('live region', () => {
  it('announces added, rejected (with the reason), uploaded and failed files', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader();
    const status = screen.getByRole('status');
    expect(status).toHaveAttribute('aria-live', 'polite');

    await user.upload(fileInput(), [makeFile('report.pdf'), makeFile('huge.bin', TWO_MB + 1)]);
    // Written in the uploader's next commit's effects, like every announcement.
    await waitFor(() => {
      expect(status).toHaveTextContent('Added report.pdf.');
      expect(status).toHaveTextContent('huge.bin was not attached: The file is larger than the size limit.');
    });
    await waitFor(() => expect(status).toHaveTextContent('report.pdf uploaded.'));

    backend.oss.always(ossAccessDenied());
    await user.upload(fileInput(), makeFile('denied.pdf'));
    await waitFor(() => expect(status).toHaveTextContent('denied.pdf failed: Storage denied access.'));
  });

  it('announces in Chinese with locale="zh-CN"', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} locale="zh-CN" />);
    const status = screen.getByRole('status');

    await user.upload(screen.getByLabelText('选择要添加的附件'), [makeFile('report.pdf'), makeFile('huge.bin', TWO_MB + 1)]);
    // Written in the uploader's next commit's effects, like every announcement.
    await waitFor(() => {
      expect(status).toHaveTextContent('已添加 report.pdf。');
      expect(status).toHaveTextContent('huge.bin 未添加：文件超过大小限制。');
    });
    await waitFor(() => expect(status).toHaveTextContent('report.pdf 已上传。'));

    backend.oss.always(ossAccessDenied());
    await user.upload(screen.getByLabelText('选择要添加的附件'), makeFile('denied.pdf'));
    await waitFor(() => expect(status).toHaveTextContent('denied.pdf 上传失败：存储服务拒绝访问。'));
  });
});

describe('lifecycle', () => {
  it('aborts the upload in flight on unmount, with no completion and no React warning', async () => {
    const backend = useFakeBackend();
    const storageAnswers = deferred();
    backend.oss.always(ossAfter(storageAnswers.promise));
    const abort = vi.spyOn(XMLHttpRequest.prototype, 'abort');
    const consoleError = vi.spyOn(console, 'error');
    const onChange = vi.fn();
    const onUploadSucceeded = vi.fn();
    const onUploadFailed = vi.fn();
    const onBusyChange = vi.fn();
    const { user, unmount } = renderUploader({ onChange, onUploadSucceeded, onUploadFailed, onBusyChange });

    await user.upload(fileInput(), makeFile('report.pdf'));
    await waitFor(() => expect(backend.uploads).toHaveLength(1));
    unmount();

    expect(abort).toHaveBeenCalled();
    storageAnswers.resolve();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(onChange).not.toHaveBeenCalled();
    expect(onUploadSucceeded).not.toHaveBeenCalled();
    expect(onUploadFailed).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('unmounts cleanly while a file waits for its authorization', async () => {
    const backend = useFakeBackend();
    const consoleError = vi.spyOn(console, 'error');
    backend.authorization.always(async (context) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return authorizationOk()(context);
    });
    const { user, unmount } = renderUploader();

    await user.upload(fileInput(), makeFile('report.pdf'));
    await expectRowStatus('report.pdf', 'Preparing upload');
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(backend.uploads).toHaveLength(0);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('throws an error naming QueryClientProvider when rendered outside one', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});

    expect(() => render(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} />)).toThrow(/QueryClientProvider/);
  });
});

describe('authorization failures', () => {
  const failures: Array<[string, () => AuthorizationResponder, string]> = [
    ['an HTTP 500 error page', () => authorizationHttpError(500), 'The server answered HTTP 500 instead of an upload permission.'],
    [
      'success:false with a message',
      () => authorizationRejected('Please sign in again.'),
      'The server refused upload permission. (Please sign in again.)',
    ],
    ['malformed JSON', authorizationMalformed, 'The server sent an unreadable upload permission.'],
    ['a javascript: host', () => authorizationWithHost('javascript:alert(document.domain)//'), 'The server sent an unsafe upload address.'],
  ];

  it.each(failures)(
    'shows an alert with a "Try again" for %s; the file fails with a Retry and nothing reaches storage; "Try again" recovers',
    async (_label, failure, reason) => {
      const backend = useFakeBackend();
      backend.authorization.always(failure());
      const { user } = renderUploader();

      const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
      expect(alert).toHaveTextContent(`Uploads cannot start. ${reason}`);
      expect(alert.textContent).not.toMatch(/<html|javascript:|Unexpected|JSON/);

      await user.upload(fileInput(), makeFile('report.pdf'));
      const row = await expectRowStatus('report.pdf', 'Failed', { timeout: 4000 });
      // The alert gives the reason; the row only says what it means for this file.
      expect(row).toHaveTextContent('No upload permission.');
      expect(row).not.toHaveTextContent(reason);
      expect(within(row).getByRole('button', { name: 'Retry report.pdf' })).toBeInTheDocument();
      expect(backend.uploads).toHaveLength(0);

      backend.authorization.always(authorizationOk());
      await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' }));

      await expectRowStatus('report.pdf', 'Uploaded');
      expect(backend.uploads).toHaveLength(1);
      await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
    },
  );

  it('says once, with the status received, that a missing backend route (an HTML 404) gave no upload permission; each row stays short', async () => {
    const backend = useFakeBackend();
    backend.authorization.always(() =>
      HttpResponse.html('<!doctype html><html><body><h1>404 Not Found</h1><p>Cannot GET /api/getOSSTempAuthor</p></body></html>', {
        status: 404,
      }),
    );
    const { user } = renderUploader();

    await user.upload(fileInput(), [makeFile('report.pdf'), makeFile('trace.har')]);
    for (const name of ['report.pdf', 'trace.har']) await expectRowStatus(name, 'Failed', { timeout: 4000 });

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(/^Uploads cannot start\. The server answered HTTP 404 instead of an upload permission\.\s*Try again$/);
    for (const name of ['report.pdf', 'trace.har']) {
      const row = getRow(name);
      expect(within(row).getByText('No upload permission.')).toBeInTheDocument();
      expect(row).not.toHaveTextContent(/404|permission could not|Check your connection/);
    }
    // Said once on screen (the live region's announcements are not on screen).
    const visibleText = Array.from(document.body.querySelectorAll('.taup > :not([role="status"])'), (element) => element.textContent).join(
      ' ',
    );
    expect(visibleText.match(/HTTP 404/g)).toHaveLength(1);
    expect(visibleText).not.toMatch(/<h1>|Cannot GET/);
    expect(backend.uploads).toHaveLength(0);
  });

  it('lets a file that failed for want of an authorization be retried from its row once the backend recovers', async () => {
    const backend = useFakeBackend();
    backend.authorization.always(authorizationRejected('Session expired.'));
    const { user } = renderUploader();
    await user.upload(fileInput(), makeFile('report.pdf'));
    const row = await expectRowStatus('report.pdf', 'Failed');

    backend.authorization.always(authorizationOk());
    await user.click(within(row).getByRole('button', { name: 'Retry report.pdf' }));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(1);
  });
});

describe('onFailedCountChange', () => {
  it('reports how many listed files failed: up on a failure, down on a successful retry and on removal', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossAccessDenied());
    const onFailedCountChange = vi.fn<(failed: number) => void>();
    const { user } = renderUploader({ onFailedCountChange });
    expect(onFailedCountChange.mock.calls).toEqual([[0]]);

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    for (const name of ['a.pdf', 'b.pdf']) await expectRowStatus(name, 'Failed');
    await waitFor(() => expect(onFailedCountChange).toHaveBeenLastCalledWith(2));

    backend.oss.always(ossOk());
    await user.click(screen.getByRole('button', { name: 'Retry a.pdf' }));
    await expectRowStatus('a.pdf', 'Uploaded');
    expect(onFailedCountChange).toHaveBeenLastCalledWith(1);

    await user.click(screen.getByRole('button', { name: 'Remove b.pdf' }));
    expect(onFailedCountChange).toHaveBeenLastCalledWith(0);
    // Once per change, not once per render: no count reported twice in a row.
    const counts = onFailedCountChange.mock.calls.map(([count]) => count);
    expect(counts.filter((count, index) => count === counts[index - 1])).toEqual([]);
  });
});
