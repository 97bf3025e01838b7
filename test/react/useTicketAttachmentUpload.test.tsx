import { QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { StrictMode, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { TicketAttachmentUploader, useTicketAttachmentUpload, type UseTicketAttachmentUploadOptions } from '../../src';
import { makeFile } from '../../fixtures';
import { authorizationRejected, DEFAULT_DIR, fetchAuthorization, ossAccessDenied, useFakeBackend } from '../support/ossHandlers';
import { createTestQueryClient, renderWithClient } from '../support/renderWithClient';
import { createHeldSend, expectRowStatus, fileInput } from '../support/uploaderHarness';

/** The POST policy mode's options (the hook's options are a union of the two modes). */
type PostModeOptions = Partial<Extract<UseTicketAttachmentUploadOptions, { fetchAuthorization: unknown }>>;

function renderUploadHook(options: PostModeOptions = {}) {
  const queryClient = createTestQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return renderHook((props: PostModeOptions) => useTicketAttachmentUpload({ fetchAuthorization, ...options, ...props }), {
    wrapper,
    initialProps: {},
  });
}

describe('useTicketAttachmentUpload', () => {
  it('uploads added files and reports files, paths, isBusy and totals', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const { result } = renderUploadHook({ onChange });
    const files = [makeFile('a.pdf', 1000), makeFile('b.pdf', 3000)];

    let rejections: unknown;
    act(() => {
      rejections = result.current.addFiles(files);
    });

    expect(rejections).toEqual([]);
    await waitFor(() => expect(result.current.files.map((upload) => upload.status)).toEqual(['done', 'done']));
    const keys = files.map((file) => backend.uploads.find((upload) => upload.file?.name === file.name)?.key);
    expect(result.current.paths).toEqual(keys);
    // The bucket's CORS rule exposes ETag (docs/oss-protocol.md §5), and the transport reads it.
    expect(result.current.files[0]).toMatchObject({ status: 'done', etag: '"etag-1000"' });
    expect(result.current.isBusy).toBe(false);
    expect(result.current.totals).toMatchObject({ count: 2, done: 2, failed: 0, loaded: 4000, total: 4000, percent: 100 });
    expect(onChange).toHaveBeenLastCalledWith(keys);
  });

  it('returns the rejections of addFiles at once and never sends them', async () => {
    const backend = useFakeBackend();
    const onFilesRejected = vi.fn();
    const { result } = renderUploadHook({ maxFileSize: 1000, accept: { 'application/pdf': ['.pdf'] }, onFilesRejected });

    let rejections: ReturnType<typeof result.current.addFiles> = [];
    act(() => {
      rejections = result.current.addFiles([makeFile('big.pdf', 1001), makeFile('notes.txt', 10, 'text/plain'), makeFile('ok.pdf', 1000)]);
    });

    expect(rejections.map((rejection) => [rejection.file.name, rejection.errors.map((error) => error.code)])).toEqual([
      ['big.pdf', ['file-too-large']],
      ['notes.txt', ['file-invalid-type']],
    ]);
    expect(result.current.rejections).toEqual(rejections);
    expect(onFilesRejected).toHaveBeenCalledWith(rejections);
    await waitFor(() => expect(result.current.paths).toHaveLength(1));
    expect(backend.uploads.map((upload) => upload.file?.name)).toEqual(['ok.pdf']);

    act(() => result.current.clearRejections());
    expect(result.current.rejections).toEqual([]);
  });

  it("narrows the size limit to the policy's content-length-range once the authorization is known", async () => {
    useFakeBackend({ maxSize: 500_000 });
    const { result } = renderUploadHook({ maxFileSize: 10_000_000 });
    expect(result.current.limits.maxFileSize).toBe(10_000_000);

    await waitFor(() => expect(result.current.limits.maxFileSize).toBe(500_000));

    let rejections: ReturnType<typeof result.current.addFiles> = [];
    act(() => {
      rejections = result.current.addFiles([makeFile('scan.pdf', 500_001)]);
    });
    expect(rejections[0]?.errors[0]?.code).toBe('file-too-large');
  });

  it('cancels, retries and removes through its actions', async () => {
    useFakeBackend();
    const onRemoveUploaded = vi.fn();
    const { send, held } = createHeldSend();
    const { result } = renderUploadHook({ send, onRemoveUploaded });
    act(() => void result.current.addFiles([makeFile('a.pdf')]));
    await waitFor(() => expect(result.current.files[0]?.status).toBe('uploading'));
    const id = result.current.files[0]?.id as string;

    act(() => result.current.cancel(id));
    await waitFor(() => expect(result.current.files[0]?.status).toBe('canceled'));
    expect(held[0]?.request.signal?.aborted).toBe(true);

    act(() => result.current.retry(id));
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]?.succeed();
    await waitFor(() => expect(result.current.files[0]?.status).toBe('done'));
    const key = result.current.paths[0];

    act(() => void result.current.remove(id));
    await waitFor(() => expect(result.current.files).toEqual([]));
    expect(result.current.paths).toEqual([]);
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(key);
  });

  it('runs at most `concurrency` uploads at once, in the order the files were added', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend();
    const { result } = renderUploadHook({ send, concurrency: 1 });

    act(() => void result.current.addFiles([makeFile('a.pdf'), makeFile('b.pdf'), makeFile('c.pdf')]));
    await waitFor(() => expect(held).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.map((entry) => entry.request.file)).toMatchObject([{ name: 'a.pdf' }]);

    held[0]?.succeed();
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]?.succeed();
    await waitFor(() => expect(held).toHaveLength(3));
    held[2]?.succeed();

    await waitFor(() => expect(result.current.files.map((upload) => upload.status)).toEqual(['done', 'done', 'done']));
    expect(held.map((entry) => (entry.request.file as File).name)).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
  });

  it('reports aggregate progress over the batch', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend([50, 100]);
    const { result } = renderUploadHook({ send });
    act(() => void result.current.addFiles([makeFile('a.pdf', 1000), makeFile('b.pdf', 1000)]));

    await waitFor(() => expect(result.current.totals).toMatchObject({ uploading: 2, percent: 50 }));
    expect(result.current.isBusy).toBe(true);

    held[0]?.succeed();
    await waitFor(() => expect(result.current.totals).toMatchObject({ done: 1, uploading: 1, percent: 75 }));
  });

  it('exposes the authorization status and retries files that failed for want of one', async () => {
    const backend = useFakeBackend();
    backend.authorization.once(authorizationRejected('Session expired.'));
    backend.authorization.once(authorizationRejected('Session expired.'));
    const { result } = renderUploadHook();

    await waitFor(() => expect(result.current.authorization.status).toBe('error'));
    expect(result.current.authorization.error?.code).toBe('authorization-rejected');
    act(() => void result.current.addFiles([makeFile('a.pdf')]));
    await waitFor(() => expect(result.current.files[0]?.status).toBe('failed'));

    act(() => result.current.authorization.retry());

    await waitFor(() => expect(result.current.files[0]?.status).toBe('done'));
    expect(result.current.authorization).toMatchObject({ status: 'success', error: null });
  });

  it('adds nothing and fetches nothing while disabled', async () => {
    const backend = useFakeBackend();
    const { result, rerender } = renderUploadHook({ disabled: true });

    let rejections: unknown;
    act(() => {
      rejections = result.current.addFiles([makeFile('a.pdf')]);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(rejections).toEqual([]);
    expect(result.current.files).toEqual([]);
    expect(backend.authorizationRequests).toBe(0);

    rerender({ disabled: false });
    await waitFor(() => expect(backend.authorizationRequests).toBe(1));
  });

  it('lists defaultValue keys as existingPaths and removes them with removePath', async () => {
    useFakeBackend();
    const onChange = vi.fn();
    const onRemoveUploaded = vi.fn();
    const saved = [`${DEFAULT_DIR}1/a.pdf`, `${DEFAULT_DIR}2/b.pdf`];
    const { result } = renderUploadHook({ defaultValue: saved, onChange, onRemoveUploaded });
    expect(result.current.existingPaths).toEqual(saved);
    expect(result.current.paths).toEqual(saved);

    act(() => result.current.removePath(saved[0] as string));

    expect(result.current.paths).toEqual([saved[1]]);
    expect(onChange).toHaveBeenLastCalledWith([saved[1]]);
    expect(onRemoveUploaded).toHaveBeenCalledExactlyOnceWith(saved[0]);
  });

  it('throws an error naming QueryClientProvider outside one', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});

    expect(() => renderHook(() => useTicketAttachmentUpload({ fetchAuthorization }))).toThrow(/QueryClientProvider/);
  });
});

describe('a custom UI built on the hook', () => {
  function CustomUploader(options: PostModeOptions) {
    const upload = useTicketAttachmentUpload({ fetchAuthorization, ...options });
    return (
      <section>
        <div {...upload.getRootProps({ role: 'button', 'aria-label': 'Add screenshots' })}>Drop screenshots here</div>
        <input {...upload.getInputProps({ 'aria-label': 'Screenshot files' })} />
        <ul aria-label="Screenshots">
          {upload.files.map((file) => (
            <li key={file.id}>
              {file.file.name}: {file.status}
            </li>
          ))}
        </ul>
      </section>
    );
  }

  it('wires react-dropzone through getRootProps/getInputProps, with the accept attribute filled in', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    const { container } = renderWithClient(<CustomUploader accept={{ 'image/*': ['.png', '.jpg'] }} />);
    const input = screen.getByLabelText<HTMLInputElement>('Screenshot files');
    expect(input).toHaveAttribute('accept', 'image/*,.png,.jpg');
    const openDialog = vi.spyOn(input, 'click');

    await user.click(screen.getByRole('button', { name: 'Add screenshots' }));
    expect(openDialog).toHaveBeenCalledTimes(1);
    await user.upload(input, makeFile('shot.png', 300, 'image/png'));

    expect(await screen.findByText('shot.png: done')).toBeInTheDocument();
    expect(backend.uploads[0]?.file?.name).toBe('shot.png');
    // With the input beside (not inside) the role="button" element, axe finds no nested control.
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations).toEqual([]);
  });
});

describe('StrictMode', () => {
  it('uploads normally when effects mount, unmount and mount again', async () => {
    const backend = useFakeBackend();
    const onChange = vi.fn();
    const user = userEvent.setup();
    renderWithClient(
      <StrictMode>
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} onChange={onChange} />
      </StrictMode>,
    );

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);

    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    expect(backend.uploads).toHaveLength(2);
    expect(backend.authorizationRequests).toBe(1);
    expect(onChange.mock.lastCall?.[0]).toHaveLength(2);
  });

  it('still fails a file permanently refused by storage exactly once', async () => {
    const backend = useFakeBackend();
    backend.oss.always(ossAccessDenied());
    const onUploadFailed = vi.fn();
    const user = userEvent.setup();
    renderWithClient(
      <StrictMode>
        <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} onUploadFailed={onUploadFailed} />
      </StrictMode>,
    );

    await user.upload(fileInput(), makeFile('a.pdf'));
    await expectRowStatus('a.pdf', 'Failed');

    expect(onUploadFailed).toHaveBeenCalledTimes(1);
    expect(backend.uploads).toHaveLength(1);
  });
});
