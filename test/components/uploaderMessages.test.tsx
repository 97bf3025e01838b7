/**
 * The strings as a user reads them in each locale: the hint's list of accepted types, a size
 * rejection's detail, the backend's own words after a refusal. Rendered, and read through roles.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeFile } from '../../fixtures';
import { authorizationRejected, useFakeBackend } from '../support/ossHandlers';
import { renderUploader } from '../support/uploaderHarness';

const ACCEPT = { 'image/*': [], 'application/pdf': ['.pdf'], 'text/plain': ['.txt', '.log'], 'application/zip': ['.zip'] };

describe('uploader strings in context', () => {
  it('lists the accepted types in English words, each one separated', () => {
    useFakeBackend();
    renderUploader({ accept: ACCEPT });
    expect(screen.getByRole('button', { name: 'Attach files' })).toHaveAccessibleDescription(
      'Drag files here, paste, or click to browse Up to 3 files, 2 MB each · images, .pdf, .txt, .log, .zip',
    );
  });

  it('lists the accepted types in Chinese, with the enumeration comma and no English word', () => {
    useFakeBackend();
    renderUploader({ accept: ACCEPT, locale: 'zh-CN' });
    expect(screen.getByRole('button', { name: '添加附件' })).toHaveAccessibleDescription(
      '将文件拖到此处，也可以粘贴或点击选择 最多 3 个文件，每个不超过 2 MB；格式：图片、.pdf、.txt、.log、.zip',
    );
  });

  it.each([
    ['en', 'Choose files to attach', 'Not attached', 'huge.bin — The file is larger than the size limit. (3 MB; limit 2 MB)'],
    ['zh-CN', '选择要添加的附件', '未添加的文件', 'huge.bin：文件超过大小限制。（3 MB，上限 2 MB）'],
  ] as const)('joins a size rejection as the %s locale writes it', async (locale, inputLabel, groupName, expected) => {
    useFakeBackend();
    const user = userEvent.setup({ applyAccept: false });
    renderUploader({ locale });
    await user.upload(screen.getByLabelText(inputLabel), makeFile('huge.bin', 3 * 1024 * 1024));
    const group = screen.getByRole('group', { name: groupName });
    expect(within(group).getByRole('listitem')).toHaveTextContent(expected, { normalizeWhitespace: false });
  });

  it("puts the backend's own words in full-width parentheses in Chinese, without a space before them", async () => {
    const backend = useFakeBackend();
    backend.authorization.always(authorizationRejected('会话已过期，请重新登录。'));
    renderUploader({ locale: 'zh-CN' });
    const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
    expect(alert).toHaveTextContent('无法开始上传。服务器拒绝了上传授权。（会话已过期，请重新登录。）', { normalizeWhitespace: false });
  });
});
