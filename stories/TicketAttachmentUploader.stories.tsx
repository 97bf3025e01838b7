import type { Meta, StoryObj } from '@storybook/react-vite';
import { useMemo, useState } from 'react';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { TicketAttachmentUploader, type TicketAttachmentUploaderProps } from '../src/components/TicketAttachmentUploader';
import { attachedPathFixture, makeFile } from '../fixtures';
import {
  createFakeFetchAuthorization,
  createFakeFetchUploadUrl,
  createFakePutSend,
  createFakeSend,
  createRefusingFetchAuthorization,
  createSampleFiles,
} from './support/fakeOss';
import { createFakeShrinkImage } from './support/fakeShrinkImage';
import { chooseFiles } from './support/play';
import { storyLocale, storyMessages } from './support/storyLocale';

/**
 * The whole component. Authorization and OSS are simulated in the browser through the injected
 * `fetchAuthorization` and `send` props, so every story works offline.
 */
const meta = {
  title: 'Components/TicketAttachmentUploader',
  component: TicketAttachmentUploader,
  tags: ['autodocs'],
  args: {
    fetchAuthorization: createFakeFetchAuthorization(),
    send: createFakeSend({ durationMs: 1_500 }),
    onChange: fn(),
    onUploadSucceeded: fn(),
    onUploadFailed: fn(),
    onFilesRejected: fn(),
    onRemoveUploaded: fn(),
  },
  argTypes: {
    fetchAuthorization: { control: false },
    send: { control: false },
    locale: { control: 'inline-radio', options: ['en', 'zh-CN'] },
  },
  render: (args, { globals }) => <TicketAttachmentUploader {...args} locale={storyLocale(args, globals)} />,
} satisfies Meta<typeof TicketAttachmentUploader>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing attached yet: the drop zone and its limits. */
export const Empty: Story = {};

/** Disabled while the form submits: no new files. */
export const Disabled: Story = { args: { disabled: true } };

/** Files dragged over the drop zone (a `dragenter` with a `DataTransfer` dispatched by the play function). */
export const DragActive: Story = {
  play: async ({ canvasElement }) => {
    const dropzone = canvasElement.querySelector<HTMLElement>('.taup-dropzone');
    if (!dropzone) throw new Error('The drop zone is missing.');
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(makeFile('login-error-screenshot.png', 245_760, 'image/png'));
    dropzone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer }));
    await waitFor(() => expect(dropzone).toHaveAttribute('data-drag-active', 'true'));
  },
};

/** An oversize file and a wrong type chosen at once: both listed as not attached, nothing uploads. */
export const RejectionList: Story = {
  args: { accept: { 'image/png': ['.png'], 'image/jpeg': ['.jpg', '.jpeg'], 'application/pdf': ['.pdf'] } },
  play: async ({ canvasElement, args, globals }) => {
    await chooseFiles(canvasElement, [
      makeFile('database-dump.pdf', 3_145_728, 'application/pdf'),
      makeFile('setup.exe', 53_248, 'application/x-msdownload'),
    ]);
    const rejections = await within(canvasElement).findByRole('group', { name: storyMessages(args, globals).rejectionsTitle });
    await expect(within(rejections).getAllByRole('listitem')).toHaveLength(2);
    await expect(args.onFilesRejected).toHaveBeenCalledTimes(1);
  },
};

/** A 5.8 MB phone photo (and a 2.5 MB PDF) over the 2 MB limit: the photo's row offers "Shrink to fit", the PDF is refused. */
export const ShrinkOffer: Story = {
  args: { shrinkImage: createFakeShrinkImage() },
  play: async ({ canvasElement, args, globals }) => {
    await chooseFiles(canvasElement, [
      makeFile('IMG_2041.jpg', 6_081_741, 'image/jpeg'),
      makeFile('scanned-contract.pdf', 2_621_440, 'application/pdf'),
    ]);
    const messages = storyMessages(args, globals);
    await within(canvasElement).findByRole('button', { name: (name) => name.startsWith(messages.shrinkText('2 MB')) });
  },
};

/** The offer accepted: "Shrinking…", then the shrunk copy uploads and the row shows 5.8 MB → 1.9 MB, location data removed. */
export const ShrinkToFit: Story = {
  args: { shrinkImage: createFakeShrinkImage() },
  play: async ({ canvasElement, args, globals }) => {
    await chooseFiles(canvasElement, [makeFile('IMG_2041.jpg', 6_081_741, 'image/jpeg')]);
    const messages = storyMessages(args, globals);
    const canvas = within(canvasElement);
    const offer = await canvas.findByRole('button', { name: (name) => name.startsWith(messages.shrinkText('2 MB')) });
    await userEvent.click(offer);
    await waitFor(() => expect(canvasElement.querySelector('.taup-row[data-status="done"]')).not.toBeNull(), { timeout: 10_000 });
    await expect(canvas.getByText(/→/)).toBeInTheDocument();
    await expect(canvas.getByText(messages.locationRemoved, { exact: false })).toBeInTheDocument();
  },
};

/** `shrinkImages="auto"`: no offer, the photo is shrunk and uploaded as soon as it is chosen. */
export const ShrinkAutomatically: Story = {
  args: { shrinkImages: 'auto', shrinkImage: createFakeShrinkImage() },
  play: async ({ canvasElement }) => {
    await chooseFiles(canvasElement, [makeFile('IMG_2041.jpg', 6_081_741, 'image/jpeg')]);
    await within(canvasElement).findByText(/→/, {}, { timeout: 10_000 });
  },
};

/** Simplified Chinese, with an attachment kept from a saved draft. */
export const ChineseLocale: Story = { args: { locale: 'zh-CN', defaultValue: [attachedPathFixture] } };

/** The backend refuses the authorization (`success: false`): the alert offers to try again. */
export const AuthorizationFailed: Story = {
  args: { fetchAuthorization: createRefusingFetchAuthorization() },
  play: async ({ canvasElement }) => {
    await within(canvasElement).findByRole('alert');
  },
};

async function chooseSampleFiles({ canvasElement }: { canvasElement: HTMLElement }): Promise<void> {
  await chooseFiles(canvasElement, createSampleFiles());
  await waitFor(() => expect(canvasElement.querySelectorAll('.taup-row')).toHaveLength(3));
}

/**
 * The browser has sent every byte and storage has not answered yet (a slow disk, a big file still
 * being read): the bar is full and the row says "Saving…" until the answer comes. Here it never does.
 */
export const Saving: Story = {
  args: { send: createFakeSend({ durationMs: 300, steps: 3, holdAtEnd: true }) },
  play: async ({ canvasElement, args, globals }) => {
    await chooseFiles(canvasElement, [makeFile('network-trace.har', 1_153_434, 'application/json')]);
    const messages = storyMessages(args, globals);
    await within(canvasElement).findByText(messages.status.confirming, {}, { timeout: 5_000 });
    await expect(within(canvasElement).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  },
};

/** Three sample files upload in about 1.5 s each; choose or drop your own afterwards. */
export const InteractiveFast: Story = { play: chooseSampleFiles };

/** About 8 s per file, to watch progress, the summary and Cancel. */
export const InteractiveSlowUpload: Story = {
  args: { send: createFakeSend({ durationMs: 8_000, steps: 40 }) },
  play: chooseSampleFiles,
};

/** The POST policy mode's props (the component's props are a union of the two modes). */
type PostPolicyProps = Extract<TicketAttachmentUploaderProps, { fetchAuthorization: unknown }>;

function ExpiringAuthorizationDemo(props: PostPolicyProps) {
  const [fetches, setFetches] = useState(0);
  const fetchAuthorization = useMemo(
    () => createFakeFetchAuthorization({ lifetimeSeconds: 5, onFetch: () => setFetches((count) => count + 1) }),
    [],
  );
  return (
    <>
      <TicketAttachmentUploader {...props} fetchAuthorization={fetchAuthorization} />
      <p className="story-note">
        Authorization lifetime 5 s · authorization fetches: <strong data-testid="authorization-fetches">{fetches}</strong>
      </p>
    </>
  );
}

/** Authorizations last 5 s and files go one at a time for about 3 s each: the count of fetches shows the refresh. */
export const InteractiveExpiringAuthorization: Story = {
  args: { concurrency: 1, send: createFakeSend({ durationMs: 3_000, steps: 30 }) },
  render: (args, { globals }) => <ExpiringAuthorizationDemo {...(args as PostPolicyProps)} locale={storyLocale(args, globals)} />,
  play: chooseSampleFiles,
};

/** Storage answers 503 to each file's first attempt halfway through: the files retry on their own and end done. */
export const InteractiveFlakyStorage: Story = {
  args: { send: createFakeSend({ durationMs: 2_000, failFirstAttempt: true }) },
  play: chooseSampleFiles,
};

type UploadModeArg = 'POST policy' | 'presigned PUT';

/** The component in the mode the `mode` control picks, each with its own simulated backend and storage. */
function EitherModeDemo({ mode, ...props }: PostPolicyProps & { mode: UploadModeArg }) {
  const [presignedPut] = useState(() => ({ fetchUploadUrl: createFakeFetchUploadUrl(), send: createFakePutSend({ durationMs: 1_500 }) }));
  if (mode === 'presigned PUT') {
    const { fetchAuthorization: _postPolicy, send: _postObject, ...common } = props;
    return <TicketAttachmentUploader {...common} {...presignedPut} />;
  }
  return <TicketAttachmentUploader {...props} />;
}

/**
 * The same component in either upload mode: "POST policy" (getOSSTempAuthor, Work Order API
 * 2016-08-30) or "presigned PUT" (one GetAttachmentUploadUrl per file, 2021-06-10). Switch with the
 * `mode` control; the UI does not change.
 */
export const InteractiveEitherMode: StoryObj<PostPolicyProps & { mode: UploadModeArg }> = {
  args: { ...(meta.args as PostPolicyProps), mode: 'presigned PUT' },
  argTypes: { mode: { control: 'inline-radio', options: ['POST policy', 'presigned PUT'] } },
  render: (args, { globals }) => <EitherModeDemo {...args} locale={storyLocale(args, globals)} />,
  play: chooseSampleFiles,
};
