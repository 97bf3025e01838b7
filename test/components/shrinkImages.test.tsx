/**
 * "Shrink to fit" (issue 12 §1): an image over the size limit is offered for shrinking (or shrunk at
 * once), and the shrunk copy is what uploads. The shrinker is a fake injected through `shrinkImage`:
 * the real one is a lazy chunk with its own browser test.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { UploadError } from '../../src';
import { makeFile } from '../../fixtures';
import { bytesOf } from '../support/dropFiles';
import { createHeldShrinker } from '../support/heldShrinker';
import { DEFAULT_DIR, useFakeBackend } from '../support/ossHandlers';
import { expectRowStatus, fileInput, getRow, rejectionItem, renderUploader } from '../support/uploaderHarness';

const TWO_MB = 2_097_152;
/** A phone photo of 5.8 MB, a PNG so the shrunk JPEG has another name (and key). */
const photo = () => makeFile('photo.png', 6_081_741, 'image/png');
/** What the fake shrinker answers for it: a 1.9 MB JPEG. */
const shrunkPhoto = makeFile('photo.jpg', 1_992_294, 'image/jpeg');

const shrinkButton = (name: string, label = `Shrink to fit (≤ 2 MB) ${name}`) => screen.getByRole('button', { name: label });

describe('shrinkImages: "offer" (the default)', () => {
  it('offers to shrink only the image over the limit; a PDF over the limit and a HEIC photo are refused, the HEIC with a hint', async () => {
    const backend = useFakeBackend();
    const { shrinkImage } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage });

    await user.upload(fileInput(), [
      photo(),
      makeFile('scan.pdf', 3_000_000, 'application/pdf'),
      makeFile('IMG_0001.heic', 4_000_000, 'image/heic'),
      makeFile('small.png', 2000, 'image/png'),
    ]);

    const row = getRow('photo.png');
    expect(within(row).getByRole('button', { name: 'Shrink to fit (≤ 2 MB) photo.png' })).toHaveTextContent('Shrink to fit (≤ 2 MB)');
    expect(row).toHaveTextContent('The file is larger than the size limit.');
    expect(rejectionItem('scan.pdf')).toHaveTextContent('The file is larger than the size limit.');
    expect(rejectionItem('IMG_0001.heic')).toHaveTextContent('larger than the size limit.');
    expect(rejectionItem('IMG_0001.heic')).toHaveTextContent('Save it as JPEG or PNG and try again.');
    expect(screen.getAllByRole('button', { name: /^Shrink to fit/ })).toHaveLength(1);
    // The small image just uploads; nothing is shrunk or sent for the offered one until the user says so.
    await expectRowStatus('small.png', 'Uploaded');
    expect(backend.uploads.map((upload) => upload.file?.name)).toEqual(['small.png']);
    expect(shrinkImage).not.toHaveBeenCalled();
  });

  it('shrinks on click, shows "Shrinking…", then uploads the shrunk copy and shows before → after and that location data was removed', async () => {
    const backend = useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const onChange = vi.fn();
    const onUploadSucceeded = vi.fn();
    const { user } = renderUploader({ shrinkImage, onChange, onUploadSucceeded });

    await user.upload(fileInput(), photo());
    await user.click(shrinkButton('photo.png'));

    const status = await within(getRow('photo.png')).findByRole('status');
    expect(status).toHaveTextContent('Shrinking…');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.file.name).toBe('photo.png');
    expect(calls[0]?.options.maxBytes).toBe(TWO_MB);
    expect(screen.getByRole('button', { name: 'Cancel photo.png' })).toBeInTheDocument();
    expect(backend.uploads).toHaveLength(0);

    calls[0]?.succeed(shrunkPhoto);
    const row = await expectRowStatus('photo.jpg', /^Uploaded/);
    expect(row).toHaveTextContent('5.8 MB → 1.9 MB');
    expect(row).toHaveTextContent('Uploaded · location data removed');

    expect(backend.uploads).toHaveLength(1);
    const [sent] = backend.uploads;
    expect(sent?.file?.name).toBe('photo.jpg');
    // Compared as buffers: a deep equality over 2 million elements takes longer than the test may.
    expect(Buffer.from(sent?.file?.bytes ?? []).equals(await bytesOf(shrunkPhoto))).toBe(true);
    expect(sent?.key.startsWith(DEFAULT_DIR)).toBe(true);
    expect(sent?.key.endsWith('/photo.jpg')).toBe(true);
    expect(onChange).toHaveBeenLastCalledWith([sent?.key]);
    expect(onUploadSucceeded).toHaveBeenCalledWith(shrunkPhoto, sent?.key);
  });

  it('keeps the form busy while an offer waits for an answer (no Cancel to press), and until the shrunk copy is uploaded', async () => {
    useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const onBusyChange = vi.fn();
    const { user } = renderUploader({ shrinkImage, onBusyChange });

    await user.upload(fileInput(), photo());
    await waitFor(() => expect(onBusyChange).toHaveBeenLastCalledWith(true));
    // Submitting now would silently leave the picked photo out: the only ways on are Shrink and Remove.
    expect(screen.queryByRole('button', { name: 'Cancel photo.png' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove photo.png' })).toBeInTheDocument();

    await user.click(shrinkButton('photo.png'));
    calls[0]?.succeed(shrunkPhoto);
    await expectRowStatus('photo.jpg', /^Uploaded/);
    await waitFor(() => expect(onBusyChange).toHaveBeenLastCalledWith(false));
    expect(onBusyChange.mock.calls.map(([busy]) => busy)).toEqual([true, false]);
  });

  it('is no longer busy once the offered image is removed', async () => {
    useFakeBackend();
    const { shrinkImage } = createHeldShrinker();
    const onBusyChange = vi.fn();
    const { user } = renderUploader({ shrinkImage, onBusyChange });

    await user.upload(fileInput(), photo());
    await waitFor(() => expect(onBusyChange).toHaveBeenLastCalledWith(true));
    await user.click(screen.getByRole('button', { name: 'Remove photo.png' }));
    await waitFor(() => expect(onBusyChange).toHaveBeenLastCalledWith(false));
    expect(shrinkImage).not.toHaveBeenCalled();
  });

  it("ends the row failed with the shrinker's reason, announced, and the row can be removed", async () => {
    const backend = useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const onUploadFailed = vi.fn();
    const { user } = renderUploader({ shrinkImage, onUploadFailed });

    await user.upload(fileInput(), photo());
    await user.click(shrinkButton('photo.png'));
    calls[0]?.fail(new UploadError('image-cannot-shrink', 'Would need to go below 640 px.'));

    const row = await expectRowStatus('photo.png', 'Failed');
    expect(row).toHaveTextContent('This image cannot be made small enough without ruining it.');
    expect(onUploadFailed).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'photo.png' }),
      expect.objectContaining({ code: 'image-cannot-shrink' }),
    );
    await waitFor(() => expect(screen.getByText(/photo\.png failed: This image cannot be made small enough/)).toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'Remove photo.png' }));
    expect(screen.queryByText('photo.png')).not.toBeInTheDocument();
    expect(backend.uploads).toHaveLength(0);
  });

  it('shows image-not-decodable when the browser cannot read a file that claimed to be a JPEG', async () => {
    useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage });

    await user.upload(fileInput(), makeFile('broken.jpg', 3_000_000, 'image/jpeg'));
    await user.click(shrinkButton('broken.jpg'));
    calls[0]?.fail(new UploadError('image-not-decodable', 'createImageBitmap failed.'));

    const row = await expectRowStatus('broken.jpg', 'Failed');
    expect(row).toHaveTextContent('This browser cannot read this image, so it cannot be made smaller.');
  });

  it('aborts the shrink when the row is removed while shrinking, and sends nothing', async () => {
    const backend = useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage });

    await user.upload(fileInput(), photo());
    await user.click(shrinkButton('photo.png'));
    expect(calls[0]?.options.signal?.aborted).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Remove photo.png' }));
    expect(calls[0]?.options.signal?.aborted).toBe(true);
    expect(screen.queryByText('photo.png')).not.toBeInTheDocument();
    // A shrinker that answers after all changes nothing.
    calls[0]?.succeed(shrunkPhoto);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByText('photo.jpg')).not.toBeInTheDocument();
    expect(backend.uploads).toHaveLength(0);
  });

  it('cancels a shrink with Cancel (signal aborted), and Retry offers it again', async () => {
    useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage });

    await user.upload(fileInput(), photo());
    await user.click(shrinkButton('photo.png'));
    await user.click(await screen.findByRole('button', { name: 'Cancel photo.png' }));

    expect(calls[0]?.options.signal?.aborted).toBe(true);
    await expectRowStatus('photo.png', 'Canceled');
    await user.click(screen.getByRole('button', { name: 'Retry photo.png' }));
    expect(await screen.findByRole('button', { name: 'Shrink to fit (≤ 2 MB) photo.png' })).toBeInTheDocument();
    expect(calls).toHaveLength(1);
  });

  it('counts an offered image towards the file limit (3)', async () => {
    useFakeBackend();
    const { shrinkImage } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage });

    await user.upload(fileInput(), [
      makeFile('a.jpg', 3_000_000, 'image/jpeg'),
      makeFile('b.jpg', 3_000_000, 'image/jpeg'),
      makeFile('c.webp', 3_000_000, 'image/webp'),
      makeFile('d.jpg', 3_000_000, 'image/jpeg'),
    ]);

    expect(screen.getAllByRole('button', { name: /^Shrink to fit/ })).toHaveLength(3);
    expect(rejectionItem('d.jpg')).toHaveTextContent('Too many files');
  });

  it('speaks Simplified Chinese', async () => {
    useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage, locale: 'zh-CN' }, {});

    await user.upload(fileInput('选择要添加的附件'), photo());
    await user.click(shrinkButton('photo.png', '压缩到 2 MB 以内 photo.png'));
    expect(await within(getRow('photo.png', '附件')).findByRole('status')).toHaveTextContent('正在压缩…');

    calls[0]?.succeed(shrunkPhoto);
    const row = await expectRowStatus('photo.jpg', /^已上传/, { listName: '附件' });
    expect(row).toHaveTextContent('5.8 MB → 1.9 MB');
    expect(row).toHaveTextContent('已移除位置信息');
  });
});

describe('shrinkImages: "auto" and "off"', () => {
  it('"auto" shrinks at once, with no offer, and uploads the shrunk copy', async () => {
    const backend = useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage, shrinkImages: 'auto' });

    await user.upload(fileInput(), photo());

    expect(screen.queryByRole('button', { name: /^Shrink to fit/ })).not.toBeInTheDocument();
    expect(await within(getRow('photo.png')).findByRole('status')).toHaveTextContent('Shrinking…');
    expect(calls.map((call) => [call.file.name, call.options.maxBytes])).toEqual([['photo.png', TWO_MB]]);

    calls[0]?.succeed(shrunkPhoto);
    await expectRowStatus('photo.jpg', /^Uploaded/);
    expect(backend.uploads.map((upload) => upload.file?.name)).toEqual(['photo.jpg']);
  });

  it('"auto" shrinks to the effective limit (a smaller maxFileSize)', async () => {
    useFakeBackend();
    const { shrinkImage, calls } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage, shrinkImages: 'auto', maxFileSize: 1_000_000 });

    await user.upload(fileInput(), makeFile('photo.webp', 1_500_000, 'image/webp'));

    expect(calls[0]?.options.maxBytes).toBe(1_000_000);
  });

  it('"off" refuses the image like any file too large, without a hint or an offer', async () => {
    const backend = useFakeBackend();
    const { shrinkImage } = createHeldShrinker();
    const { user } = renderUploader({ shrinkImage, shrinkImages: 'off' });

    await user.upload(fileInput(), [photo(), makeFile('IMG_0001.heic', 4_000_000, 'image/heic')]);

    expect(rejectionItem('photo.png')).toHaveTextContent('photo.png — The file is larger than the size limit. (5.8 MB; limit 2 MB)');
    expect(rejectionItem('IMG_0001.heic')).not.toHaveTextContent('JPEG');
    expect(screen.queryByRole('list', { name: 'Attachments' })).not.toBeInTheDocument();
    expect(shrinkImage).not.toHaveBeenCalled();
    expect(backend.uploads).toHaveLength(0);
  });
});
