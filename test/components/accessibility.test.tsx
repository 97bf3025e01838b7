import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { TicketAttachmentUploader, UploadError } from '../../src';
import { dropFiles } from '../support/dropFiles';
import { makeFile } from '../../fixtures';
import { authorizationRejected, fetchAuthorization, useFakeBackend } from '../support/ossHandlers';
import { renderWithClient } from '../support/renderWithClient';
import { attachmentRows, createHeldSend, dropzone, expectRowStatus, fileInput, getRow, renderUploader } from '../support/uploaderHarness';

/** `nested-interactive` has its own test below, so the state scans keep reporting anything else. */
async function expectNoAxeViolations(container: Element, { skipNestedInteractive = true } = {}) {
  const results = await axe.run(container, {
    rules: {
      // jsdom does no layout, so contrast cannot be computed there (the browser layer checks it).
      'color-contrast': { enabled: false },
      'nested-interactive': { enabled: !skipNestedInteractive },
    },
  });
  expect(results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`)).toEqual([]);
}

describe('drop zone', () => {
  it('is a focusable button named "Attach files" and described by the limits', async () => {
    useFakeBackend();
    const { user } = renderUploader({ maxFiles: 2 });

    const button = dropzone();
    expect(button.tabIndex).toBe(0);
    expect(button).toHaveAccessibleDescription(/Up to 2 files, 2 MB each/);
    await user.tab();
    expect(button).toHaveFocus();
  });

  it('is the only tab stop of an idle uploader (no unnamed focusable wrapper, no focusable file input)', async () => {
    useFakeBackend();
    const { user } = renderUploader();

    await user.tab();
    expect(dropzone()).toHaveFocus();
    await user.tab();
    expect(document.body).toHaveFocus();
  });

  it.each([
    ['Enter', '{Enter}'],
    ['Space', ' '],
  ])('opens the file dialog on %s', async (_key, keys) => {
    useFakeBackend();
    const { user } = renderUploader();
    const openDialog = vi.spyOn(fileInput(), 'click');

    dropzone().focus();
    await user.keyboard(keys);

    expect(openDialog).toHaveBeenCalledTimes(1);
  });

  it('opens the file dialog on click', async () => {
    useFakeBackend();
    const { user } = renderUploader();
    const openDialog = vi.spyOn(fileInput(), 'click');

    await user.click(dropzone());

    expect(openDialog).toHaveBeenCalledTimes(1);
  });

  it('has a file input with an accessible label and the multiple attribute', () => {
    useFakeBackend();
    renderUploader();

    expect(fileInput()).toHaveAttribute('type', 'file');
    expect(fileInput()).toHaveAttribute('multiple');
  });

  it('is announced as disabled, leaves the tab order, and ignores drops when `disabled`', async () => {
    const backend = useFakeBackend();
    const { user } = renderUploader({ disabled: true });

    const button = dropzone();
    expect(button.matches(':disabled') || button.getAttribute('aria-disabled') === 'true').toBe(true);
    await user.tab();
    expect(dropzone()).not.toHaveFocus();
    dropFiles(dropzone(), [makeFile('report.pdf')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attachmentRows()).toHaveLength(0);
    expect(backend.authorizationRequests + backend.uploads.length).toBe(0);
  });
});

describe('file list', () => {
  it('is a list named "Attachments" with one item per file', async () => {
    useFakeBackend();
    const { user } = renderUploader();
    expect(screen.queryByRole('list', { name: 'Attachments' })).not.toBeInTheDocument();

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);

    const list = await screen.findByRole('list', { name: 'Attachments' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
  });

  it('shows a progressbar named after the file with aria-valuenow 0–100 while it uploads', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend([50, 100]);
    const { user } = renderUploader({ send });

    await user.upload(fileInput(), [makeFile('report.pdf'), makeFile('photo.png', 100, 'image/png')]);

    const bar = await screen.findByRole('progressbar', { name: /report\.pdf/ });
    expect(bar).toHaveAccessibleName('Uploading report.pdf');
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    expect(bar).toHaveAttribute('aria-valuemin', '0');
    expect(bar).toHaveAttribute('aria-valuemax', '100');
    expect(within(getRow('report.pdf')).getByText('Uploading 50%')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Uploading photo.png' })).toHaveAttribute('aria-valuenow', '50');

    held[0]?.progress(250, 250);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'));
    held[0]?.succeed();
    await expectRowStatus('report.pdf', 'Uploaded');
    expect(screen.queryByRole('progressbar', { name: /report\.pdf/ })).not.toBeInTheDocument();
  });

  it('never reports aria-valuenow above 100 or below 0', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend(null);
    const { user } = renderUploader({ send });
    await user.upload(fileInput(), makeFile('report.pdf'));

    const bar = await screen.findByRole('progressbar', { name: /report\.pdf/ });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    held[0]?.progress(500, 400);
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '100'));
  });

  it('names every button with its action and the file, in every state', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend();
    const { user } = renderUploader({ send });
    await user.upload(fileInput(), makeFile('report.pdf'));
    const buttonNames = (row: HTMLElement) =>
      within(row)
        .getAllByRole('button')
        .map((button) => button.getAttribute('aria-label'));

    const uploading = await expectRowStatus('report.pdf', 'Uploading 50%');
    expect(buttonNames(uploading)).toEqual(['Cancel report.pdf', 'Remove report.pdf']);
    expect(within(uploading).getByRole('button', { name: 'Cancel report.pdf' })).toHaveTextContent('Cancel');

    held[0]?.fail(new UploadError('access-denied', 'denied', { status: 403 }));
    const failed = await expectRowStatus('report.pdf', 'Failed');
    expect(buttonNames(failed)).toEqual(['Retry report.pdf', 'Remove report.pdf']);

    await user.click(within(failed).getByRole('button', { name: 'Retry report.pdf' }));
    await waitFor(() => expect(held).toHaveLength(2));
    held[1]?.succeed();
    const done = await expectRowStatus('report.pdf', 'Uploaded');
    expect(buttonNames(done)).toEqual(['Remove report.pdf']);
  });

  it('uses Chinese accessible names with locale="zh-CN"', async () => {
    useFakeBackend();
    const { send } = createHeldSend();
    const user = userEvent.setup();
    renderWithClient(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} locale="zh-CN" send={send} />);

    expect(screen.getByRole('button', { name: '添加附件' })).toHaveAccessibleDescription(/最多 3 个文件，每个不超过 2 MB/);
    await user.upload(screen.getByLabelText('选择要添加的附件'), makeFile('report.pdf'));

    expect(await screen.findByRole('progressbar', { name: '正在上传 report.pdf' })).toHaveAttribute('aria-valuenow', '50');
    const list = screen.getByRole('list', { name: '附件' });
    expect(within(list).getByRole('button', { name: '取消 report.pdf' })).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: '移除 report.pdf' })).toBeInTheDocument();
  });
});

describe('axe', () => {
  it('finds no violations when idle', async () => {
    useFakeBackend();
    const { container } = renderUploader();
    await expectNoAxeViolations(container);
  });

  it('does not nest the file input inside the "Attach files" button (nested-interactive)', async () => {
    useFakeBackend();
    const { container } = renderUploader();

    expect(dropzone()).not.toContainElement(fileInput());
    await expectNoAxeViolations(container, { skipNestedInteractive: false });
  });

  it('finds no violations with uploading, failed, uploaded and rejected files', async () => {
    useFakeBackend();
    const { send, held } = createHeldSend();
    const { container } = renderUploader({ send, accept: { 'application/pdf': ['.pdf'] } });
    const user = userEvent.setup({ applyAccept: false });

    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf'), makeFile('c.pdf'), makeFile('notes.txt', 10, 'text/plain')]);
    await waitFor(() => expect(held).toHaveLength(3));
    held[1]?.fail(new UploadError('oss-error', 'boom', { status: 400 }));
    held[2]?.succeed();
    await expectRowStatus('b.pdf', 'Failed');
    await expectRowStatus('c.pdf', 'Uploaded');
    expect(screen.getByRole('progressbar', { name: /a\.pdf/ })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Not attached' })).toBeInTheDocument();

    await expectNoAxeViolations(container);
  });

  it('finds no violations with an authorization alert', async () => {
    const backend = useFakeBackend();
    backend.authorization.always(authorizationRejected('Please sign in again.'));
    const { container } = renderUploader();
    await screen.findByRole('alert');

    await expectNoAxeViolations(container);
  });
});
