import { noStoreJsonResponse } from './noStoreJsonResponse.js';
import type { WorkOrderApiError } from './workOrderApiError.js';

/**
 * How the GetAttachmentUploadUrl handlers (URL and relay) answer when the Work Order API call failed:
 * 504 `upstream-timeout` or 502 `upstream-error`, with the API's own Code and RequestId for support.
 */
export function workOrderApiFailureResponse(error: WorkOrderApiError): Response {
  const details = { upstreamCode: error.code, ...(error.requestId === undefined ? {} : { requestId: error.requestId }) };
  if (error.kind === 'timeout') {
    return noStoreJsonResponse(504, { code: 'upstream-timeout', message: 'The Work Order API did not answer in time.', ...details });
  }
  return noStoreJsonResponse(502, {
    code: 'upstream-error',
    message: `The Work Order API refused the request: ${error.message}`,
    ...details,
  });
}
