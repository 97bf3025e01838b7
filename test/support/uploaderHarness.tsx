import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { expect } from 'vitest';
import {
  TicketAttachmentUploader,
  UploadError,
  type PostObjectRequest,
  type PostObjectResult,
  type TicketAttachmentUploaderProps,
} from '../../src';
import { fetchAuthorization } from './ossHandlers';
import { renderWithClient } from './renderWithClient';

/** The POST policy mode's props (the component's props are a union of the two modes). */
export type PostPolicyProps = Extract<TicketAttachmentUploaderProps, { fetchAuthorization: unknown }>;

/** Renders the component with the test backend's `fetchAuthorization` (override any prop) and a userEvent session. */
export function renderUploader(props: Partial<PostPolicyProps> = {}, options: Parameters<typeof renderWithClient>[1] = {}) {
  const user = userEvent.setup();
  const utils = renderWithClient(<TicketAttachmentUploader fetchAuthorization={fetchAuthorization} {...props} />, options);
  return { user, ...utils };
}

export const fileInput = (label = 'Choose files to attach') => screen.getByLabelText<HTMLInputElement>(label);
export const dropzone = (name = 'Attach files') => screen.getByRole('button', { name });

/** The rows of the "Attachments" list. */
export function attachmentRows(listName = 'Attachments'): HTMLElement[] {
  const list = screen.queryByRole('list', { name: listName });
  return list ? within(list).queryAllByRole('listitem') : [];
}

/** The row that shows `fileName`; throws when there is none. */
export function getRow(fileName: string, listName = 'Attachments'): HTMLElement {
  const row = attachmentRows(listName).find((item) => within(item).queryByText(fileName) !== null);
  if (!row) throw new Error(`No attachment row shows "${fileName}".`);
  return row;
}

/** Waits until the row of `fileName` shows `status` as its status text. */
export async function expectRowStatus(
  fileName: string,
  status: string | RegExp,
  options: { timeout?: number; listName?: string } = {},
): Promise<HTMLElement> {
  return waitFor(
    () => {
      const row = getRow(fileName, options.listName);
      expect(within(row).getByText(status)).toBeInTheDocument();
      return row;
    },
    { timeout: options.timeout ?? 3000 },
  );
}

/** The "Not attached" group's text for one file ("name — reason"). */
export function rejectionItem(fileName: string, groupName = 'Not attached'): HTMLElement {
  const group = screen.getByRole('group', { name: groupName });
  const item = within(group)
    .getAllByRole('listitem')
    .find((li) => within(li).queryByText(fileName) !== null);
  if (!item) throw new Error(`"${fileName}" is not listed under "${groupName}".`);
  return item;
}

/**
 * A transport that holds every upload at a known progress until the test settles it, since msw
 * cannot produce XHR upload progress in jsdom (docs/testing-notes.md §2).
 */
export function createHeldSend(progress: readonly [loaded: number, total: number] | null = [50, 100]) {
  const held: Array<{
    request: PostObjectRequest;
    succeed: () => void;
    fail: (error: UploadError) => void;
    progress: (loaded: number, total: number) => void;
  }> = [];
  const send = (request: PostObjectRequest) =>
    new Promise<PostObjectResult>((resolve, reject) => {
      request.signal?.addEventListener('abort', () => reject(new UploadError('canceled', 'The upload was canceled.')), { once: true });
      if (progress) request.onProgress?.(progress[0], progress[1]);
      held.push({
        request,
        succeed: () => resolve({ key: request.key, status: 200, etag: '"held"', requestId: null, location: null, serverDate: null }),
        fail: reject,
        progress: (loaded, total) => request.onProgress?.(loaded, total),
      });
    });
  return { send, held };
}
