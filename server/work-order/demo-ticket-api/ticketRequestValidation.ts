import type { IncomingMessage } from 'node:http';
import { readRequestText } from '../../local-stack/jsonHttp.js';
import { ok } from '../../result.js';
import { ticketApiFailure, type TicketApiResult } from './ticketApiResponses.js';

// docs/oss-protocol.md §6: attachments is a comma-separated string of at most 3 names.
const MAX_ATTACHMENTS = 3;
export const MAX_BODY_BYTES = 256 * 1024;

/** A request body as name -> value: a JSON object or a urlencoded form (what the Work Order API takes). */
export type TicketForm = Record<string, unknown>;

export async function readForm(req: IncomingMessage): Promise<TicketApiResult<TicketForm>> {
  const body = await readRequestText(req, MAX_BODY_BYTES);
  if (!body.ok) return ticketApiFailure(400, 'ILLEGAL_PARAM', `The request body could not be read (${body.error}).`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    return ok(Object.fromEntries(new URLSearchParams(body.value)));
  }
  if (type === 'application/json' || type === '') {
    if (body.value.trim() === '') return ok({});
    try {
      const parsed: unknown = JSON.parse(body.value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return ok(parsed as TicketForm);
      }
    } catch {
      // Reported below.
    }
    return ticketApiFailure(400, 'ILLEGAL_PARAM', 'The request body must be a JSON object.');
  }
  return ticketApiFailure(400, 'ILLEGAL_PARAM', `Unsupported Content-Type "${type}"; send JSON or a urlencoded form.`);
}

export function optionalString(form: TicketForm, name: string): TicketApiResult<string | undefined> {
  const value = form[name];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return ticketApiFailure(400, 'ILLEGAL_PARAM', `${name} must be a string.`);
  return ok(value);
}

export function requiredContent(form: TicketForm): TicketApiResult<string> {
  const content = optionalString(form, 'content');
  if (!content.ok) return content;
  if (content.value === undefined || content.value.trim() === '') {
    return ticketApiFailure(400, 'ILLEGAL_PARAM_EMPTY', 'content is required and must not be empty.');
  }
  return ok(content.value);
}

export function parseAttachmentKeys(form: TicketForm): TicketApiResult<string[]> {
  const raw = form.attachments;
  if (Array.isArray(raw)) {
    // docs/oss-protocol.md §6: the Work Order API takes a comma-separated string, not a JSON array.
    return ticketApiFailure(400, 'ILLEGAL_PARAM', 'attachments must be a comma-separated string of object keys, not an array.');
  }
  const text = optionalString(form, 'attachments');
  if (!text.ok) return text;
  if (text.value === undefined || text.value.trim() === '') return ok([]);
  const keys = text.value.split(',').map((key) => key.trim());
  if (keys.some((key) => key === '')) return ticketApiFailure(400, 'ILLEGAL_PARAM', 'attachments contains an empty item.');
  if (keys.length > MAX_ATTACHMENTS) {
    return ticketApiFailure(400, 'ILLEGAL_PARAM', `At most ${MAX_ATTACHMENTS} attachments are allowed, got ${keys.length}.`);
  }
  if (new Set(keys).size !== keys.length) return ticketApiFailure(400, 'ILLEGAL_PARAM', 'attachments lists the same key twice.');
  return ok(keys);
}
