import type { PutObjectResult } from './putObject.js';
import { relayPutObject } from './relayPutObject.js';
import type { RelayPutObjectRequest } from './relayPutObject.js';
import type { UploadStrategy } from './UploadStrategy.js';

export interface RelayUploadStrategyOptions {
  /** The relay endpoint, read when each attempt starts. */
  relayUrl: () => string;
  /** Sends one file. Default: `relayPutObject` (XHR PUT to the relay). */
  send?: (request: RelayPutObjectRequest) => Promise<PutObjectResult>;
}

/**
 * Presigned PUT through your server's relay: nothing to fetch before a file starts (the relay asks
 * GetAttachmentUploadUrl itself, per request), so the key is known only once the relay answers.
 * Each attempt is a new request to the relay, hence a new URL and a new object key.
 */
export function createRelayUploadStrategy(options: RelayUploadStrategyOptions): UploadStrategy {
  return {
    prepareErrorCode: 'upload-url-request-failed',
    prepare({ file }) {
      return {
        // The relay's answer names the key; until then there is none to show.
        key: '',
        send: (sendRequest) =>
          (options.send ?? relayPutObject)({ relayUrl: options.relayUrl(), fileName: file.name, file, ...sendRequest }),
        // docs/work-order-api.md §4: the relay passes "Request has expired." on; sending the file again gets a fresh URL.
        isExpiredRefusal: (error) => error.code === 'upload-url-expired',
      };
    },
  };
}
