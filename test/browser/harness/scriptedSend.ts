import { UploadError, UploadErrorCode, type PostObjectRequest, type PostObjectResult } from '../../../src';

/**
 * A stand-in for OSS that puts each file in the state its name asks for, so layout tests can show
 * every row state at once without timing: `…hold…` stops at 40 %, `…saving…` at 100 % waiting for
 * the answer, `…fail…` loses the connection, anything else is stored. Held uploads end on abort.
 */
export function scriptedSend(request: PostObjectRequest): Promise<PostObjectResult> {
  return new Promise((resolve, reject) => {
    const { file, signal } = request;
    const total = file.size + 800;
    const name = file instanceof File ? file.name : (request.fileName ?? request.key);
    signal?.addEventListener('abort', () => reject(new UploadError(UploadErrorCode.Canceled, 'The upload was canceled.')), { once: true });
    if (name.includes('fail')) {
      reject(new UploadError(UploadErrorCode.NetworkError, 'The connection was lost.'));
    } else if (name.includes('hold')) {
      request.onProgress?.(Math.round(total * 0.4), total);
    } else if (name.includes('saving')) {
      request.onProgress?.(total, total);
    } else {
      request.onProgress?.(total, total);
      resolve({ key: request.key, status: 200, etag: null, requestId: null, location: null, serverDate: null });
    }
  });
}
