import type { ServerResponse } from 'node:http';
import { sendJson } from '../../local-stack/jsonHttp.js';
import { err, type Result } from '../../result.js';

/** Work Order API error codes used here (docs/oss-protocol.md §6). */
export type TicketApiErrorCode = 'ILLEGAL_PARAM' | 'ILLEGAL_PARAM_EMPTY' | 'SYSTEM_BUSY' | 'NOT_FOUND';

export interface TicketApiError {
  success: false;
  code: TicketApiErrorCode;
  message: string;
}

export interface TicketApiSuccess<TData> {
  success: true;
  code: '200';
  message: 'successful';
  data: TData;
}

/** A refused request: the HTTP status and the error body to answer. */
export interface TicketApiFailure {
  status: number;
  body: TicketApiError;
}

export type TicketApiResult<T> = Result<T, TicketApiFailure>;

export function ticketApiFailure(status: number, code: TicketApiErrorCode, message: string): TicketApiResult<never> {
  return err({ status, body: { success: false, code, message } });
}

export function sendTicketApiError(res: ServerResponse, status: number, code: TicketApiErrorCode, message: string): void {
  sendJson(res, status, { success: false, code, message } satisfies TicketApiError);
}

/** Answers the Work Order envelope with the data, or the failure's status and error body. */
export function sendTicketApiResult<T>(res: ServerResponse, result: TicketApiResult<T>): void {
  if (result.ok) {
    sendJson(res, 200, { success: true, code: '200', message: 'successful', data: result.value } satisfies TicketApiSuccess<T>);
  } else {
    sendJson(res, result.error.status, result.error.body);
  }
}
