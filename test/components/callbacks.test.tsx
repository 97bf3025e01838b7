import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UploadError, type TicketAttachmentUploaderProps } from '../../src';
import { makeFile } from '../../fixtures';
import { useFakeBackend } from '../support/ossHandlers';
import { attachmentRows, createHeldSend, expectRowStatus, fileInput, renderUploader } from '../support/uploaderHarness';

// The app's callbacks through the component: what each gets and when, and that one that throws
// never changes what the user sees (rows, keys, announcements) while its error reaches the page's
// 'error' event, as an error thrown from a React event handler would.

/** Errors the page's error reporting received (a window 'error' listener, like Sentry's). */
let pageErrors: unknown[];
const onPageError = (event: ErrorEvent) => {
  event.preventDefault();
  pageErrors.push(event.error);
};

beforeEach(() => {
  pageErrors = [];
  // jsdom has no `reportError`; this is what the browser's does: fire the window's 'error' event.
  vi.stubGlobal('reportError', (error: unknown) => window.dispatchEvent(new ErrorEvent('error', { error, cancelable: true })));
  window.addEventListener('error', onPageError);
});
afterEach(() => {
  window.removeEventListener('error', onPageError);
  vi.unstubAllGlobals();
});

const ACCESS_DENIED = () => new UploadError('access-denied', 'You have no right to access this object.', { status: 403 });

const THROWING_CALLBACKS = [
  'onUploadStarted',
  'onUploadProgress',
  'onUploadSucceeded',
  'onUploadFailed',
  'onUploadCanceled',
  'onBusyChange',
  'onChange',
  'onRemoveUploaded',
  'onFilesAdded',
  'onFilesRejected',
  'onFailedCountChange',
] as const;

describe('a callback that throws', () => {
  it.each(THROWING_CALLBACKS)(
    '%s: every file keeps its real state, the form gets the right keys, and the error reaches the page',
    async (name) => {
      useFakeBackend();
      const { send, held } = createHeldSend([50, 100]);
      const thrown: Error[] = [];
      const onChange = vi.fn();
      const props: Partial<TicketAttachmentUploaderProps> = {
        send,
        name: 'attachments',
        maxFileSize: 5_000,
        onChange,
        [name]: (...args: unknown[]) => {
          if (name === 'onChange') onChange(...args);
          const error = new Error(`${name} broke`);
          thrown.push(error);
          throw error;
        },
      };
      const { user, container } = renderUploader(props);

      await user.upload(fileInput(), [
        makeFile('a.pdf', 1000),
        makeFile('b.pdf', 1000),
        makeFile('c.pdf', 1000),
        makeFile('huge.pdf', 6000),
      ]);
      await waitFor(() => expect(held).toHaveLength(3));
      await expectRowStatus('a.pdf', 'Uploading 50%');
      held[0]!.succeed();
      held[1]!.fail(ACCESS_DENIED());
      await user.click(screen.getByRole('button', { name: 'Cancel c.pdf' }));

      await expectRowStatus('a.pdf', 'Uploaded');
      await expectRowStatus('b.pdf', 'Failed');
      await expectRowStatus('c.pdf', 'Canceled');
      const key = held[0]!.request.key;
      const hiddenKeys = () =>
        [...container.querySelectorAll<HTMLInputElement>('input[type=hidden][name=attachments]')].map((input) => input.value);
      expect(hiddenKeys()).toEqual([key]);
      await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([key]));
      expect(screen.getByRole('status')).toHaveTextContent('a.pdf uploaded.');

      await user.click(screen.getByRole('button', { name: 'Remove a.pdf' }));
      expect(attachmentRows()).toHaveLength(2);
      expect(hiddenKeys()).toEqual([]);
      await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([]));
      expect(screen.getByRole('status')).toHaveTextContent('a.pdf removed.');
      expect(held).toHaveLength(3); // nothing was retried or sent twice

      expect(thrown.length).toBeGreaterThan(0);
      await waitFor(() => expect(pageErrors).toEqual(thrown));
    },
  );
});

describe('lifecycle callbacks', () => {
  it('onFilesAdded gets each selection’s accepted files, in order, and is not called when every file is refused', async () => {
    useFakeBackend();
    const { send } = createHeldSend(null);
    const onFilesAdded = vi.fn();
    const { user } = renderUploader({ send, onFilesAdded, maxFileSize: 5_000 });
    const [a, b, huge] = [makeFile('a.pdf', 10), makeFile('b.pdf', 10), makeFile('huge.pdf', 6_000)];

    await user.upload(fileInput(), [a, huge, b]);
    expect(onFilesAdded).toHaveBeenCalledExactlyOnceWith([a, b]);

    await user.upload(fileInput(), [makeFile('huge-2.pdf', 6_000)]);
    expect(onFilesAdded).toHaveBeenCalledTimes(1);
    expect(pageErrors).toEqual([]);
  });

  it('reports started, progress, succeeded and canceled with the entry the list shows, in that order', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend([25, 100]);
    const events: string[] = [];
    const { user } = renderUploader({
      send,
      onUploadStarted: (upload) => events.push(`started ${upload.file.name} ${upload.key} ${upload.loaded}`),
      onUploadProgress: (upload) => events.push(`progress ${upload.file.name} ${upload.loaded}/${upload.total}`),
      onUploadSucceeded: (file, key) => events.push(`succeeded ${file.name} ${key}`),
      onUploadCanceled: (upload) => events.push(`canceled ${upload.file.name} ${upload.status}`),
    });

    await user.upload(fileInput(), [makeFile('a.pdf', 100), makeFile('b.pdf', 100)]);
    await waitFor(() => expect(held).toHaveLength(2));
    const [keyA, keyB] = held.map((entry) => entry.request.key);
    await expectRowStatus('a.pdf', 'Uploading 25%');
    await waitFor(() => expect(events.filter((event) => event.startsWith('progress'))).toHaveLength(2));
    held[0]!.progress(80, 100);
    await waitFor(() => expect(events).toContain('progress a.pdf 80/100'));
    held[0]!.succeed();
    await expectRowStatus('a.pdf', 'Uploaded');
    await user.click(within(await expectRowStatus('b.pdf', 'Uploading 25%')).getByRole('button', { name: 'Cancel b.pdf' }));
    await expectRowStatus('b.pdf', 'Canceled');

    expect(events).toEqual([
      `started a.pdf ${keyA} 0`,
      `started b.pdf ${keyB} 0`,
      'progress a.pdf 25/100',
      'progress b.pdf 25/100',
      'progress a.pdf 80/100',
      `succeeded a.pdf ${keyA}`,
      'canceled b.pdf canceled',
    ]);
  });
});
