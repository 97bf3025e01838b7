import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TicketAttachmentUploader, type FetchAuthorization, type FetchUploadUrl, type TicketAttachmentUploaderProps } from '../../src';
import { makeFile } from '../../fixtures';
import { bytesOf } from '../support/dropFiles';
import {
  authorizationOk,
  authorizationRejected,
  DEFAULT_DIR,
  fetchAuthorization,
  fetchUploadUrl,
  ossAccessDenied,
  ossAfter,
  ossErrorResponse,
  ossOk,
  ossRequestExpired,
  PUT_KEY_PREFIX,
  RELAY_PATH,
  uploadRelayUrl,
  uploadUrlOk,
  uploadUrlRejected,
  useFakeBackend,
  type FakeBackend,
} from '../support/ossHandlers';
import { renderWithClient } from '../support/renderWithClient';
import { attachmentRows, expectRowStatus, fileInput, getRow, rejectionItem } from '../support/uploaderHarness';

// The component behaves the same in every upload mode: this table runs every case against the POST
// policy backend (getOSSTempAuthor + PostObject), the presigned PUT backend (GetAttachmentUploadUrl
// + PUT) and the relay (a PUT to the backend, which gets the URL and stores), through the DOM, with
// msw failing on any request the mode should not make.

const TWO_MB = 2_097_152;

/** Every prop but the mode's own (the component's props are a union of the two modes). */
type CommonProps = Omit<
  TicketAttachmentUploaderProps,
  'fetchAuthorization' | 'fetchUploadUrl' | 'uploadRelayUrl' | 'send' | 'uploadContentType'
>;

interface UploadMode {
  props: { fetchAuthorization: FetchAuthorization } | { fetchUploadUrl: FetchUploadUrl } | { uploadRelayUrl: string };
  /** A retry goes to the same key (through a relay, each attempt gets a fresh URL and key). */
  retryKeepsKey: boolean;
  /** Where each file's key starts. */
  keyPrefix: string;
  /** The backend refuses to let files upload, with this message. */
  refuse(backend: FakeBackend, message: string): void;
  recover(backend: FakeBackend): void;
  /** The row's reason for that refusal. */
  refusalReason(message: string): string;
}

const MODES: Array<[string, UploadMode]> = [
  [
    'POST policy',
    {
      props: { fetchAuthorization },
      retryKeepsKey: true,
      keyPrefix: DEFAULT_DIR,
      refuse: (backend, message) => backend.authorization.always(authorizationRejected(message)),
      recover: (backend) => backend.authorization.always(authorizationOk()),
      refusalReason: (message) => `The server refused upload permission. (${message})`,
    },
  ],
  [
    'presigned PUT',
    {
      props: { fetchUploadUrl },
      retryKeepsKey: true,
      keyPrefix: PUT_KEY_PREFIX,
      refuse: (backend, message) => backend.uploadUrl.always(uploadUrlRejected(message)),
      recover: (backend) => backend.uploadUrl.always(uploadUrlOk()),
      refusalReason: (message) => `The server refused to provide an upload address. (${message})`,
    },
  ],
  [
    'presigned PUT through a relay',
    {
      props: { uploadRelayUrl },
      retryKeepsKey: false,
      keyPrefix: PUT_KEY_PREFIX,
      refuse: (backend, message) => backend.uploadUrl.always(uploadUrlRejected(message)),
      recover: (backend) => backend.uploadUrl.always(uploadUrlOk()),
      refusalReason: (message) => `The server refused to provide an upload address. (The Work Order API refused the request: ${message})`,
    },
  ],
];

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe.each(MODES)('%s mode: the same behaviour', (modeName, mode) => {
  function renderInMode(props: CommonProps = {}) {
    const user = userEvent.setup();
    const utils = renderWithClient(<TicketAttachmentUploader {...mode.props} {...props} />);
    return { user, ...utils };
  }
  const keyOf = (backend: FakeBackend, name: string) =>
    backend.uploads.find((upload) => upload.file?.name === name && upload.key !== '')?.key;

  it('uploads three files, emits their keys in the order they were added, and stores the exact bytes', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const onUploadSucceeded = vi.fn();
    const files = [makeFile('report.pdf', 3000), makeFile('screenshot.png', 2000, 'image/png'), makeFile('notes.txt', 500)];
    const { user } = renderInMode({ onChange, onUploadSucceeded });

    await user.upload(fileInput(), files);

    for (const file of files) await expectRowStatus(file.name, 'Uploaded');
    const keys = files.map((file) => keyOf(backend, file.name));
    // onChange runs in an effect after the render that shows the row: wait for it, not just the text.
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(keys));
    for (const [paths] of onChange.mock.calls as [string[]][]) expect(paths).toEqual(keys.filter((key) => paths.includes(key as string)));
    for (const file of files) {
      const key = keyOf(backend, file.name) as string;
      expect(key.startsWith(mode.keyPrefix)).toBe(true);
      expect(backend.uploads.find((upload) => upload.key === key)?.file?.bytes).toEqual(await bytesOf(file));
      expect(onUploadSucceeded).toHaveBeenCalledWith(file, key);
    }
    expect(backend.uploads).toHaveLength(3);
    expect(backend.uploads.every((upload) => upload.method === (modeName === 'POST policy' ? 'POST' : 'PUT'))).toBe(true);
  });

  it('checks size and type before any request: rejected files are listed with their reason and never sent', async () => {
    const backend = useFakeBackend();
    const onFilesRejected = vi.fn();
    const { user } = renderInMode({ onFilesRejected, accept: { 'application/pdf': ['.pdf'], 'application/octet-stream': [] } });

    await userEvent
      .setup({ applyAccept: false })
      .upload(fileInput(), [makeFile('too-big.bin', TWO_MB + 1, 'application/octet-stream'), makeFile('notes.txt', 10)]);
    await user.upload(fileInput(), makeFile('just-fits.pdf', TWO_MB));

    await expectRowStatus('just-fits.pdf', 'Uploaded');
    expect(backend.uploads.map((upload) => [upload.file?.name, upload.file?.size])).toEqual([['just-fits.pdf', TWO_MB]]);
    expect(backend.uploadUrlRequests.filter((name) => name !== 'just-fits.pdf')).toEqual([]);
    expect(
      onFilesRejected.mock.calls.flatMap(([rejections]) =>
        rejections.map((r: { file: File; errors: Array<{ code: string }> }) => [r.file.name, r.errors[0]?.code]),
      ),
    ).toEqual([
      ['too-big.bin', 'file-too-large'],
      ['notes.txt', 'file-invalid-type'],
    ]);
  });

  it('rejects a 4th file (maxFiles 3) and sends only the first three', async () => {
    const backend = useFakeBackend();
    const { user } = renderInMode();

    await user.upload(fileInput(), [makeFile('1.pdf'), makeFile('2.pdf'), makeFile('3.pdf'), makeFile('4.pdf')]);

    expect(rejectionItem('4.pdf')).toHaveTextContent('4.pdf — Too many files: remove one to add another.');
    for (const name of ['1.pdf', '2.pdf', '3.pdf']) await expectRowStatus(name, 'Uploaded');
    expect(backend.uploads.map((upload) => upload.file?.name).sort()).toEqual(['1.pdf', '2.pdf', '3.pdf']);
    expect(backend.uploadUrlRequests).not.toContain('4.pdf');
  });

  it(`retries after a 503 with backoff and ends uploaded, ${mode.retryKeepsKey ? 'to the same key' : 'to a fresh key'}`, async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossErrorResponse(503, 'ServiceUnavailable', 'Please reduce your request rate.'));
    const onChange = vi.fn();
    const { user } = renderInMode({ onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Retrying (attempt 2)');
    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(2);
    expect(backend.uploads[1]?.key === backend.uploads[0]?.key).toBe(mode.retryKeepsKey);
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([backend.uploads[1]?.key]));
  });

  it('shows a permanent 403 with a readable reason and a Retry that uploads it once storage accepts', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossAccessDenied());
    const onUploadFailed = vi.fn();
    const onChange = vi.fn();
    const { user } = renderInMode({ onUploadFailed, onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('Storage denied access.');
    expect(row.textContent).not.toMatch(/<|AccessDenied|RequestId/);
    expect(backend.uploads).toHaveLength(1);
    expect(onUploadFailed).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'report.pdf' }),
      expect.objectContaining({ code: 'access-denied', status: 403 }),
    );

    backend.oss.always(ossOk());
    await user.click(within(row).getByRole('button', { name: 'Retry report.pdf' }));
    await expectRowStatus('report.pdf', 'Uploaded');
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([backend.uploads[1]?.key]));
  });

  it('shows the backend\'s refusal on the row and in an alert whose "Try again" recovers', async () => {
    const backend = useFakeBackend();
    mode.refuse(backend, 'Please sign in again.');
    const { user } = renderInMode();

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    // The reason is said once, in the alert; the row stays short.
    expect(row).toHaveTextContent('No upload permission.');
    expect(row).not.toHaveTextContent('Please sign in again.');
    expect(await screen.findByRole('alert')).toHaveTextContent(`Uploads cannot start. ${mode.refusalReason('Please sign in again.')}`);
    expect(backend.uploads).toHaveLength(0);

    mode.recover(backend);
    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' }));

    await expectRowStatus('report.pdf', 'Uploaded');
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });

  it('cancels an upload in flight: "Canceled", no key emitted, even when storage answers later', async () => {
    const backend = useFakeBackend();
    const storageAnswers = deferred();
    backend.oss.always(ossAfter(storageAnswers.promise));
    const onChange = vi.fn();
    const { user } = renderInMode({ onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));
    await waitFor(() => expect(backend.uploads).toHaveLength(1));
    await user.click(within(await expectRowStatus('report.pdf', /^Uploading/)).getByRole('button', { name: 'Cancel report.pdf' }));

    await expectRowStatus('report.pdf', 'Canceled');
    storageAnswers.resolve();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(getRow('report.pdf')).toHaveTextContent('Canceled');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('removes an uploaded file: onChange drops its key and onRemoveUploaded gets it', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const { user } = renderInMode({ onChange, onRemoveUploaded });
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');

    await user.click(screen.getByRole('button', { name: 'Remove a.pdf' }));

    expect(onChange).toHaveBeenLastCalledWith([keyOf(backend, 'b.pdf')]);
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(keyOf(backend, 'a.pdf'));
    expect(attachmentRows()).toHaveLength(1);
  });

  it('reports busy true then false exactly once per batch', async () => {
    useFakeBackend();
    const onBusyChange = vi.fn();
    const { user } = renderInMode({ onBusyChange });

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');

    await waitFor(() => expect(onBusyChange.mock.calls).toEqual([[true], [false]]));
  });

  it('renders one hidden input per key for a native <form>, existing keys first, then uploads in add order', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(
      <form aria-label="Ticket">
        <TicketAttachmentUploader {...mode.props} name="attachments" defaultValue={[`${mode.keyPrefix}old/a.pdf`]} />
      </form>,
    );
    await user.upload(fileInput(), [makeFile('b.pdf'), makeFile('c.pdf')]);
    await expectRowStatus('b.pdf', 'Uploaded');
    await expectRowStatus('c.pdf', 'Uploaded');

    const form = screen.getByRole('form', { name: 'Ticket' }) as HTMLFormElement;
    expect(new FormData(form).getAll('attachments')).toEqual([
      `${mode.keyPrefix}old/a.pdf`,
      keyOf(backend, 'b.pdf'),
      keyOf(backend, 'c.pdf'),
    ]);
  });

  it('speaks Chinese with locale="zh-CN", failure reasons included', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossAccessDenied());
    const user = userEvent.setup();
    renderWithClient(<TicketAttachmentUploader {...mode.props} locale="zh-CN" />);

    await user.upload(screen.getByLabelText('选择要添加的附件'), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', '上传失败', { listName: '附件' });
    expect(row).toHaveTextContent('存储服务拒绝访问。');
    await user.click(within(row).getByRole('button', { name: '重试 report.pdf' }));
    await expectRowStatus('report.pdf', '已上传', { listName: '附件' });
  });
});

describe('presigned PUT mode only', () => {
  function renderPut(props: CommonProps & { uploadContentType?: string } = {}) {
    const user = userEvent.setup();
    const utils = renderWithClient(<TicketAttachmentUploader fetchUploadUrl={fetchUploadUrl} {...props} />);
    return { user, ...utils };
  }

  it('asks for each URL right before that file uploads, never for the whole batch at drop time (concurrency 1, 3 files)', async () => {
    const backend = useFakeBackend();
    const firstStored = deferred();
    backend.oss.once(ossAfter(firstStored.promise));
    const { user } = renderPut({ concurrency: 1 });
    expect(backend.uploadUrlRequests).toEqual([]); // nothing on mount

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf'), makeFile('c.pdf')]);
    await waitFor(() => expect(backend.uploads).toHaveLength(1));
    // a uploads while b's URL is fetched ahead; c's is not asked for yet.
    await waitFor(() => expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf']));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf']);

    firstStored.resolve();
    for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) await expectRowStatus(name, 'Uploaded');
    expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
    expect(backend.uploads.map((upload) => upload.key)).toEqual(
      [1, 2, 3].map((serial, index) => `${PUT_KEY_PREFIX}${serial}/${['a.pdf', 'b.pdf', 'c.pdf'][index]}`),
    );
  });

  it('gets exactly one fresh URL after "Request has expired." and ends uploaded without user action', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossRequestExpired());
    const onUploadFailed = vi.fn();
    const onChange = vi.fn();
    const { user } = renderPut({ onUploadFailed, onChange });

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploadUrlRequests).toEqual(['report.pdf', 'report.pdf']);
    expect(backend.uploads).toHaveLength(2);
    expect(onUploadFailed).not.toHaveBeenCalled();
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([`${PUT_KEY_PREFIX}2/report.pdf`]));
  });

  it('fails with a readable reason when the fresh URL is refused as expired too (no loop)', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossRequestExpired());
    const { user } = renderPut();

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('The upload address expired before the upload finished.');
    expect(backend.uploadUrlRequests).toEqual(['report.pdf', 'report.pdf']);
  });

  it('never uses a prefetched URL past its expiry: the next file asks again instead of being refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      const backend = useFakeBackend();
      backend.uploadUrl.always(uploadUrlOk({ lifetimeSeconds: 60 }));
      const firstStored = deferred();
      backend.oss.once(ossAfter(firstStored.promise));
      const { user } = renderPut({ concurrency: 1 });
      await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
      await waitFor(() => expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf']));

      vi.setSystemTime(Date.now() + 61_000); // a takes a minute: b's prefetched URL has expired
      firstStored.resolve();

      await expectRowStatus('b.pdf', 'Uploaded');
      expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf', 'b.pdf']);
      expect(backend.uploads.filter((upload) => upload.file?.name === 'b.pdf')).toHaveLength(1); // never sent with the stale URL
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends exactly the Content-Type the URL was signed for, not the file type, and nothing the signature does not cover', async () => {
    const backend = useFakeBackend();
    const { user } = renderPut();

    await user.upload(fileInput(), makeFile('screenshot.png', 400, 'image/png'));

    await expectRowStatus('screenshot.png', 'Uploaded');
    const [upload] = backend.uploads;
    expect(upload?.file?.type).toBe('application/octet-stream');
    expect(upload?.headerNames.filter((name) => !['content-type', 'content-length'].includes(name))).toEqual([]);
  });

  it('reads the 2021 envelope itself (no ContentType named): sends application/octet-stream by default', async () => {
    const backend = useFakeBackend();
    backend.uploadUrl.always(uploadUrlOk({ shape: 'envelope' }));
    const { user } = renderPut();

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploads[0]?.file?.type).toBe('application/octet-stream');
  });

  it('fails a wrong uploadContentType with "Storage refused the upload signature." and asks for no other URL', async () => {
    const backend = useFakeBackend();
    backend.uploadUrl.always(uploadUrlOk({ shape: 'envelope' })); // signed for application/octet-stream
    const { user } = renderPut({ uploadContentType: 'application/pdf' });

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('Storage refused the upload signature.');
    expect(backend.uploadUrlRequests).toEqual(['report.pdf']);
  });

  it.each([
    ['two mode props', { fetchAuthorization, fetchUploadUrl }, /got `fetchAuthorization` and `fetchUploadUrl`\.$/],
    ['a relay and a URL request', { uploadRelayUrl, fetchUploadUrl }, /got `fetchUploadUrl` and `uploadRelayUrl`\.$/],
    ['no mode prop', {}, /got none\.$/],
  ])('throws a TypeError naming the three mode props at render when given %s', (_label, props, message) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const client = renderWithClient(<p />).queryClient;
    // @ts-expect-error -- mixing or omitting the modes does not compile either
    const element = <TicketAttachmentUploader {...props} />;
    expect(() =>
      render(element, { wrapper: ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider> }),
    ).toThrow(TypeError);
    expect(() =>
      render(element, { wrapper: ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider> }),
    ).toThrow(message);
    expect(() =>
      render(element, { wrapper: ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider> }),
    ).toThrow(/exactly one of `fetchAuthorization` .*, `fetchUploadUrl` .* and `uploadRelayUrl` /);
  });
});

describe('relay mode only', () => {
  function renderRelay(props: CommonProps = {}) {
    const user = userEvent.setup();
    const utils = renderWithClient(<TicketAttachmentUploader uploadRelayUrl={uploadRelayUrl} {...props} />);
    return { user, ...utils };
  }

  it('PUTs the raw bytes to the relay with the file name, and the page never sees a signed URL', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const file = makeFile('报告 1.png', 800, 'image/png');
    const { user } = renderRelay({ onChange });

    await user.upload(fileInput(), file);

    await expectRowStatus('报告 1.png', 'Uploaded');
    const [upload] = backend.uploads;
    const url = new URL(upload?.url ?? '');
    expect(url.pathname).toBe(RELAY_PATH);
    expect([...url.searchParams.keys()]).toEqual(['fileName']);
    expect(url.searchParams.get('fileName')).toBe('报告 1.png');
    expect(upload?.file?.bytes).toEqual(await bytesOf(file));
    expect(upload?.file?.type).toBe('application/octet-stream');
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith([`${PUT_KEY_PREFIX}1/报告 1.png`]));
  });

  it('sends the file again after storage refused its URL as expired, once, and ends uploaded', async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossRequestExpired());
    const onUploadFailed = vi.fn();
    const { user } = renderRelay({ onUploadFailed });

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Uploaded');
    expect(backend.uploadUrlRequests).toEqual(['report.pdf', 'report.pdf']);
    expect(onUploadFailed).not.toHaveBeenCalled();
  });

  it('fails with a readable reason when the relay is refused as expired twice (no loop)', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossRequestExpired());
    const { user } = renderRelay();

    await user.upload(fileInput(), makeFile('report.pdf'));

    const row = await expectRowStatus('report.pdf', 'Failed');
    expect(row).toHaveTextContent('The upload address expired before the upload finished.');
    expect(backend.uploadUrlRequests).toEqual(['report.pdf', 'report.pdf']);
  });

  it('does not resend blindly when the Work Order API refuses: one relay request, then "Try again"', async () => {
    const backend = useFakeBackend();
    backend.uploadUrl.always(uploadUrlRejected('Please sign in again.'));
    const { user } = renderRelay();

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Failed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(backend.uploadUrlRequests).toEqual(['report.pdf']);
  });

  it("shows storage's EntityTooLarge, passed on by the relay, as too large", async () => {
    const backend = useFakeBackend();
    backend.oss.once(ossErrorResponse(413, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
    const onUploadFailed = vi.fn();
    const { user } = renderRelay({ onUploadFailed });

    await user.upload(fileInput(), makeFile('report.pdf'));

    await expectRowStatus('report.pdf', 'Failed');
    expect(onUploadFailed).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'report.pdf' }),
      expect.objectContaining({ code: 'entity-too-large', status: 413 }),
    );
  });
});
