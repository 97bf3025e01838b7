/**
 * The README's two form recipes, kept runnable: a react-hook-form `Controller`, and a plain
 * `<form>` that posts the keys as repeated `attachments` fields.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { describe, expect, it, vi } from 'vitest';
import { TicketAttachmentUploader, toAttachmentsParam, type FetchAuthorization } from '../../src';
import { makeFile } from '../../fixtures';
import { ossAfter, useFakeBackend } from '../support/ossHandlers';
import { renderWithClient } from '../support/renderWithClient';
import { expectRowStatus, fileInput } from '../support/uploaderHarness';

const fetchAuthorization: FetchAuthorization = ({ signal }) => fetch('/api/getOSSTempAuthor', { signal });

// --- Recipe: react-hook-form ------------------------------------------------------------------
interface TicketFields {
  content: string;
  attachments: string[];
}

function TicketForm({ onSubmit }: { onSubmit: (ticket: { content: string; attachments: string }) => void }) {
  const { control, register, handleSubmit } = useForm<TicketFields>({ defaultValues: { content: '', attachments: [] } });
  const [uploading, setUploading] = useState(false);
  return (
    <form onSubmit={handleSubmit(({ content, attachments }) => onSubmit({ content, attachments: toAttachmentsParam(attachments) }))}>
      <textarea aria-label="Describe the problem" {...register('content')} />
      <Controller
        name="attachments"
        control={control}
        render={({ field }) => (
          <TicketAttachmentUploader
            fetchAuthorization={fetchAuthorization}
            value={field.value}
            onChange={field.onChange}
            onBusyChange={setUploading}
          />
        )}
      />
      <button type="submit" disabled={uploading}>
        Submit ticket
      </button>
    </form>
  );
}

// --- Recipe: native <form> ----------------------------------------------------------------------
function NativeTicketForm() {
  return (
    <form method="post" action="/tickets" aria-label="New ticket">
      <textarea name="content" aria-label="Describe the problem" />
      <TicketAttachmentUploader fetchAuthorization={fetchAuthorization} name="attachments" />
      <button type="submit">Submit ticket</button>
    </form>
  );
}
// -------------------------------------------------------------------------------------------------

function keyOf(backend: ReturnType<typeof useFakeBackend>, name: string): string {
  return backend.uploads.find((upload) => upload.file?.name === name)?.key ?? '';
}

describe('react-hook-form recipe', () => {
  it('submits the uploaded keys as the comma-separated `attachments` parameter', async () => {
    const backend = useFakeBackend();
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    renderWithClient(<TicketForm onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText('Describe the problem'), 'The invoice is wrong.');
    await user.upload(fileInput(), [makeFile('invoice.pdf'), makeFile('screenshot.png', 500, 'image/png')]);
    await expectRowStatus('invoice.pdf', 'Uploaded');
    await expectRowStatus('screenshot.png', 'Uploaded');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({
      content: 'The invoice is wrong.',
      attachments: `${keyOf(backend, 'invoice.pdf')},${keyOf(backend, 'screenshot.png')}`,
    });
  });

  it('drops a removed file from what is submitted', async () => {
    const backend = useFakeBackend();
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    renderWithClient(<TicketForm onSubmit={onSubmit} />);
    await user.upload(fileInput(), [makeFile('invoice.pdf'), makeFile('wrong-file.pdf')]);
    await expectRowStatus('invoice.pdf', 'Uploaded');
    await expectRowStatus('wrong-file.pdf', 'Uploaded');

    await user.click(screen.getByRole('button', { name: 'Remove wrong-file.pdf' }));
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0].attachments).toBe(keyOf(backend, 'invoice.pdf'));
  });

  it('keeps submit disabled while a file is still uploading', async () => {
    const backend = useFakeBackend();
    let answer!: () => void;
    backend.oss.always(ossAfter(new Promise<void>((resolve) => (answer = resolve))));
    const user = userEvent.setup();
    renderWithClient(<TicketForm onSubmit={vi.fn()} />);

    await user.upload(fileInput(), makeFile('invoice.pdf'));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Submit ticket' })).toBeDisabled());

    answer();
    await expectRowStatus('invoice.pdf', 'Uploaded');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Submit ticket' })).toBeEnabled());
  });
});

describe('native form recipe', () => {
  it('posts one `attachments` field per uploaded key, in the order the files were added', async () => {
    const backend = useFakeBackend();
    const user = userEvent.setup();
    renderWithClient(<NativeTicketForm />);
    const form = screen.getByRole('form', { name: 'New ticket' }) as HTMLFormElement;
    let posted: FormData | undefined;
    form.addEventListener('submit', (event) => {
      event.preventDefault(); // jsdom does not navigate; a browser would POST this to /tickets
      posted = new FormData(form);
    });

    await user.type(screen.getByLabelText('Describe the problem'), 'Cannot log in.');
    await user.upload(fileInput(), [makeFile('error.png', 300, 'image/png'), makeFile('log.txt', 200, 'text/plain')]);
    await expectRowStatus('error.png', 'Uploaded');
    await expectRowStatus('log.txt', 'Uploaded');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    expect(posted?.get('content')).toBe('Cannot log in.');
    expect(posted?.getAll('attachments')).toEqual([keyOf(backend, 'error.png'), keyOf(backend, 'log.txt')]);
    // What the server then passes to the ticket API:
    expect(toAttachmentsParam(posted?.getAll('attachments') as string[])).toBe(
      `${keyOf(backend, 'error.png')},${keyOf(backend, 'log.txt')}`,
    );
  });
});
