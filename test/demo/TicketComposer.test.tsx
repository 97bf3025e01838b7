/**
 * The demo's ticket form asks before a submit that would leave a failed attachment out, instead of
 * sending the ticket without it in silence.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TicketComposer, type TicketComposerProps } from '../../demo/TicketComposer';
import { demoStrings } from '../../demo/demoStrings';
import { makeFile } from '../../fixtures';
import { ossAccessDenied, ossOk, useFakeBackend } from '../support/ossHandlers';
import { renderWithClient } from '../support/renderWithClient';
import { expectRowStatus, fileInput } from '../support/uploaderHarness';

function renderComposer(backend: ReturnType<typeof useFakeBackend>) {
  const onSubmit = vi.fn<TicketComposerProps['onSubmit']>().mockResolvedValue(undefined);
  renderWithClient(<TicketComposer mode="ticket" locale="en" strings={demoStrings.en} onSubmit={onSubmit} />);
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
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ title: '', content: 'The console shows error 502.', attachments: backend.uploads[0]?.key });
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
