import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ComponentType, ReactNode } from 'react';
import { fn } from 'storybook/test';
import { AttachedPathRow, AttachmentRow, type AttachmentRowProps } from '../src/components/AttachmentRow';
import { allUploadFixtures, attachedPathFixture, uploadFixtures } from '../fixtures';
import { storyLocale, storyMessages } from './support/storyLocale';

type RowArgs = Omit<AttachmentRowProps, 'messages' | 'locale'> & Partial<Pick<AttachmentRowProps, 'locale'>>;

/** The list markup the uploader renders rows into (`.taup` carries the theme variables). */
function RowList({ label, locale, children }: { label: string; locale: string; children: ReactNode }) {
  return (
    <div className="taup" lang={locale}>
      <ul className="taup-list" aria-label={label}>
        {children}
      </ul>
    </div>
  );
}

/**
 * One `AttachmentRow` per lifecycle state, from the shared fixtures: no network, fully deterministic.
 * The row's `messages` and `locale` come from the locale toolbar (or the `locale` control).
 */
const meta = {
  title: 'Components/AttachmentRow',
  // Typed as the story's args: `messages` and `locale` come from the toolbar, not from the controls.
  component: AttachmentRow as unknown as ComponentType<RowArgs>,
  tags: ['autodocs'],
  args: { upload: uploadFixtures.queued, onRetry: fn(), onCancel: fn(), onRemove: fn(), onShrink: fn() },
  argTypes: {
    upload: { control: false },
    locale: { control: 'inline-radio', options: ['en', 'zh-CN'] },
  },
  render: (args, { globals }) => {
    const messages = storyMessages(args, globals);
    const locale = storyLocale(args, globals);
    return (
      <RowList label={messages.listLabel} locale={locale}>
        <AttachmentRow {...args} locale={locale} messages={messages} />
      </RowList>
    );
  },
} satisfies Meta<RowArgs>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Added and waiting for a free upload slot. */
export const Queued: Story = { args: { upload: uploadFixtures.queued } };

/** Waiting for attempt 2 after a dropped connection. */
export const Retrying: Story = { args: { upload: uploadFixtures.retrying } };

/** Getting (or waiting for) the shared upload authorization; the file has a Chinese name. */
export const Authorizing: Story = { args: { upload: uploadFixtures.authorizing } };

/** Upload just started: the progress bar is empty. */
export const UploadingStart: Story = { args: { upload: uploadFixtures.uploadingStart } };

/** Halfway through. */
export const UploadingHalf: Story = { args: { upload: uploadFixtures.uploadingHalf } };

/** At 99 % with a very long file name that must ellipsize. */
export const UploadingAlmostDone: Story = { args: { upload: uploadFixtures.uploadingAlmostDone } };

/** Every byte handed to the network, waiting for storage's answer: the bar is full and the row says "Saving…". */
export const Saving: Story = {
  args: { upload: { ...uploadFixtures.uploadingHalf, id: 'fx-saving', loaded: uploadFixtures.uploadingHalf.total } },
};

/** Stored in OSS; an image shows its thumbnail. */
export const Done: Story = { args: { upload: uploadFixtures.done } };

/** Refused before sending: larger than the policy's content-length-range. */
export const FailedTooLarge: Story = { args: { upload: uploadFixtures.failedTooLarge } };

/** The authorization request failed (HTTP 502 from the backend). */
export const FailedAuthorization: Story = { args: { upload: uploadFixtures.failedAuthorization } };

/** The connection dropped on every attempt. */
export const FailedNetwork: Story = { args: { upload: uploadFixtures.failedNetwork } };

/** OSS answered 403 AccessDenied "Policy Condition failed". */
export const FailedHttp403: Story = { args: { upload: uploadFixtures.failedPolicyCondition } };

/** OSS answered 403 AccessDenied for another reason (bucket ACL). */
export const FailedAccessDenied: Story = { args: { upload: uploadFixtures.failedAccessDenied } };

/** No progress for the stall timeout. */
export const FailedTimeout: Story = { args: { upload: uploadFixtures.failedTimeout } };

/** OSS kept answering 503 Service Unavailable until the attempts ran out. */
export const FailedStorage503: Story = { args: { upload: uploadFixtures.failedStorage503 } };

/** Canceled by the user; Retry puts it back in the queue. */
export const Canceled: Story = { args: { upload: uploadFixtures.canceled } };

/** A 5.8 MB phone photo over the 2 MB limit (`shrinkImages: 'offer'`): the row offers to shrink it. */
export const ShrinkOffered: Story = { args: { upload: uploadFixtures.shrinkOffered } };

/** The user accepted: the photo is being re-encoded (Cancel aborts it). */
export const Shrinking: Story = { args: { upload: uploadFixtures.shrinking } };

/** The shrunk copy is stored: before → after sizes, and its location data is gone. */
export const ShrunkAndUploaded: Story = { args: { upload: uploadFixtures.shrunkDone } };

/** A key attached before the uploader mounted (a saved draft), rendered by `AttachedPathRow`. */
export const AttachedPath: Story = {
  render: (args, { globals }) => {
    const messages = storyMessages(args, globals);
    return (
      <RowList label={messages.listLabel} locale={storyLocale(args, globals)}>
        <AttachedPathRow path={attachedPathFixture} messages={messages} onRemove={args.onRemove} />
      </RowList>
    );
  },
};

/** Every state in one list, as a busy ticket would show them. */
export const MixedList: Story = {
  render: (args, { globals }) => {
    const messages = storyMessages(args, globals);
    const locale = storyLocale(args, globals);
    return (
      <RowList label={messages.listLabel} locale={locale}>
        <AttachedPathRow path={attachedPathFixture} messages={messages} onRemove={args.onRemove} />
        {allUploadFixtures.map((upload) => (
          <AttachmentRow key={upload.id} {...args} upload={upload} locale={locale} messages={messages} />
        ))}
      </RowList>
    );
  },
};
