/**
 * The demo's ticket form asks before a submit that would leave a failed attachment out, instead of
 * sending the ticket without it in silence.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TicketComposer, type TicketComposerProps } from '../../demo/TicketComposer';
import { demoStrings } from '../../demo/demoStrings';
import { makeFile } from '../../fixtures';
import { ossAccessDenied, ossOk, PAGE_ORIGIN, PUT_KEY_PREFIX, useFakeBackend } from '../support/ossHandlers';
import { server } from '../support/mswServer';
import { renderWithClient } from '../support/renderWithClient';
import { expectRowStatus, fileInput } from '../support/uploaderHarness';

function renderComposer(backend: ReturnType<typeof useFakeBackend>) {
  const onSubmit = vi.fn<TicketComposerProps['onSubmit']>().mockResolvedValue(undefined);
  renderWithClient(<TicketComposer mode="ticket" apiVersion="2016-08-30" locale="en" strings={demoStrings.en} onSubmit={onSubmit} />);
  return { backend, onSubmit, user: userEvent.setup() };
}

/** One file uploaded, one refused by storage (403 AccessDenied is not retried). */
async function attachOneGoodOneFailed({ backend, user }: ReturnType<typeof renderComposer>) {
  backend.oss.once(ossOk());
  backend.oss.always(ossAccessDenied());
  await user.type(screen.getByLabelText('Description'), 'The console shows error 502.');
  await user.upload(fileInput(), makeFile('trace.pdf'));
  await expectRowStatus('trace.pdf', 'Uploaded');
  await user.upload(fileInput(), makeFile('screenshot.png', 2_000, 'image/png'));
  await expectRowStatus('screenshot.png', 'Failed');
}

describe('demo ticket form with a failed attachment', () => {
  it('asks before submitting without it: "Go back" keeps the form, "Submit without it" sends the uploaded ones only', async () => {
    const composer = renderComposer(useFakeBackend());
    const { backend, onSubmit, user } = composer;
    await attachOneGoodOneFailed(composer);

    const submit = screen.getByRole('button', { name: 'Submit ticket' });
    expect(submit).toBeEnabled();
    await user.click(submit);

    const question = screen.getByRole('group', { name: '1 attachment failed — submit without it?' });
    const submitWithout = within(question).getByRole('button', { name: 'Submit without it' });
    expect(submitWithout).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(within(question).getByRole('button', { name: 'Go back' }));
    expect(screen.queryByRole('group', { name: /attachment failed/ })).not.toBeInTheDocument();
    expect(submit).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(submit);
    await user.click(screen.getByRole('button', { name: 'Submit without it' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      title: '',
      content: 'The console shows error 502.',
      attachments: backend.uploads[0]?.key,
    });
  });

  it('submits at once when the failed row was removed, and drops the question when a retry succeeds', async () => {
    const composer = renderComposer(useFakeBackend());
    const { backend, onSubmit, user } = composer;
    await attachOneGoodOneFailed(composer);

    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(screen.getByRole('group', { name: '1 attachment failed — submit without it?' })).toBeInTheDocument();
    backend.oss.always(ossOk());
    await user.click(screen.getByRole('button', { name: 'Retry screenshot.png' }));
    await expectRowStatus('screenshot.png', 'Uploaded');
    expect(screen.queryByRole('group', { name: /attachment failed/ })).not.toBeInTheDocument();

    backend.oss.always(ossAccessDenied());
    await user.upload(fileInput(), makeFile('notes.pdf'));
    await expectRowStatus('notes.pdf', 'Failed');
    await user.click(screen.getByRole('button', { name: 'Remove notes.pdf' }));
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('group', { name: /attachment failed/ })).not.toBeInTheDocument();
    expect(onSubmit.mock.calls[0]?.[0].attachments.split(',')).toHaveLength(2);
  });
});

/** The demo backend's `POST /api/attachments/discard`, recording the keys it was asked to delete. */
function recordDiscards(): string[] {
  const discarded: string[] = [];
  server.use(
    http.post(`${PAGE_ORIGIN}/api/attachments/discard`, async ({ request }) => {
      const { key } = (await request.json()) as { key: string };
      discarded.push(key);
      return HttpResponse.json({ success: true, data: { key, deleted: true } });
    }),
  );
  return discarded;
}

describe('demo ticket form and the "Work Order API" setting', () => {
  it('in 2021-06-10 mode asks an upload URL per file (no POST policy) and submits the issued keys as FileNameList', async () => {
    const backend = useFakeBackend();
    const onSubmit = vi.fn<TicketComposerProps['onSubmit']>().mockResolvedValue(undefined);
    renderWithClient(<TicketComposer mode="ticket" apiVersion="2021-06-10" locale="en" strings={demoStrings.en} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Description'), 'Two files by PUT');
    await user.upload(fileInput(), [makeFile('a.pdf'), makeFile('b.pdf')]);
    await expectRowStatus('a.pdf', 'Uploaded');
    await expectRowStatus('b.pdf', 'Uploaded');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0].attachments).toBe(`${PUT_KEY_PREFIX}1/a.pdf,${PUT_KEY_PREFIX}2/b.pdf`);
    expect(backend.uploadUrlRequests).toEqual(['a.pdf', 'b.pdf']);
    expect(backend.authorizationRequests).toBe(0);
  });

  it('switching the API with a file attached starts the attachments over, says why, discards the upload, and keeps the text', async () => {
    const backend = useFakeBackend();
    const discarded = recordDiscards();
    const onSubmit = vi.fn<TicketComposerProps['onSubmit']>().mockResolvedValue(undefined);
    const props = { mode: 'ticket', locale: 'en', strings: demoStrings.en, onSubmit } as const;
    const { rerender } = renderWithClient(<TicketComposer {...props} apiVersion="2016-08-30" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Description'), 'Switching APIs');
    await user.upload(fileInput(), makeFile('old.pdf'));
    await expectRowStatus('old.pdf', 'Uploaded');
    const oldKey = backend.uploads[0]?.key;

    rerender(<TicketComposer {...props} apiVersion="2021-06-10" />);
    const notice = screen.getByText(
      'Attachments removed: files uploaded for Work Order API 2016-08-30 cannot be sent with 2021-06-10. Please attach them again.',
    );
    expect(notice).toHaveAttribute('role', 'status');
    expect(screen.queryByText('old.pdf')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Description')).toHaveValue('Switching APIs');
    await waitFor(() => expect(discarded).toEqual([oldKey]));

    // The new mode uploads by PUT, and only its key is submitted.
    await user.upload(fileInput(), makeFile('new.pdf'));
    await expectRowStatus('new.pdf', 'Uploaded');
    expect(screen.queryByText(/Attachments removed/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ title: '', content: 'Switching APIs', attachments: `${PUT_KEY_PREFIX}1/new.pdf` });
  });

  it('switching with nothing attached says nothing', async () => {
    useFakeBackend();
    const props = { mode: 'ticket', locale: 'en', strings: demoStrings.en, onSubmit: vi.fn() } as const;
    const { rerender } = renderWithClient(<TicketComposer {...props} apiVersion="2016-08-30" />);
    rerender(<TicketComposer {...props} apiVersion="2021-06-10" />);
    expect(screen.queryByText(/Attachments removed/)).not.toBeInTheDocument();
  });
});
