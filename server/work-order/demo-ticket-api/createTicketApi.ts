import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestText, sendJson } from '../../local-stack/jsonHttp.js';
import {
  buildGetOssTempAuthorEnvelope,
  createOssTempAuthorization,
  type OssSignatureVersion,
} from '../../signer/ossPostPolicySigner.js';
import { encodeObjectKey } from '../../oss-emulator/encodeObjectKey.js';

/** Options of {@link createTicketApi}. */
export interface TicketApiOptions {
  /** Emulator base URL: the authorization `host` (plus "/") and where attachments are checked. */
  ossUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  /** V4 signing region. Default: `'cn-hangzhou'`. */
  region?: string;
  /** STS token to put in every authorization. Default: none. */
  securityToken?: string;
  /** Authorization lifetime in seconds. Default: 120 (ref §6). */
  lifetimeSeconds?: number;
  /** Largest attachment in bytes. Default: 2_097_152 (ref §6). */
  maxSize?: number;
  /** Default: `'v1'`. */
  signatureVersion?: OssSignatureVersion;
  /** Clock for authorizations and ticket timestamps. Default: `() => new Date()`. */
  now?: () => Date;
  /** Ticket and reply ids. Default: sequential numbers from 100001. */
  createId?: () => string;
}

/** An attachment of a ticket or reply, with a link to the stored object. */
export interface TicketAttachment {
  key: string;
  /** Original file name from the object's Content-Disposition, else the key's last segment. */
  name: string;
  size: number;
  url: string;
}

export interface TicketReply {
  id: string;
  ticketId: string;
  content: string;
  attachments: TicketAttachment[];
  /** ISO 8601 UTC. */
  createdAt: string;
}

export interface Ticket {
  id: string;
  title: string;
  content: string;
  attachments: TicketAttachment[];
  /** ISO 8601 UTC. */
  createdAt: string;
  replies: TicketReply[];
}

/** `GET/POST /api/__control/authorization` answer. */
export interface TicketApiAuthorizationSettings {
  lifetimeSeconds: number;
  signatureVersion: OssSignatureVersion;
  maxSize: number;
  /** getOSSTempAuthor calls served so far (read-only). */
  requests: number;
}

/** Work Order API error codes used here (ref §6). */
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

/** The ticket API as connect-style middleware (Vite `server.middlewares` or a plain http server). */
export interface TicketApi {
  /** Handles `/api/*`; calls `next()` for anything else (404 when there is no `next`). */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
}

// ref §6: attachments is a comma-separated string of at most 3 names.
const MAX_ATTACHMENTS = 3;
const MAX_BODY_BYTES = 256 * 1024;

type Fail = { ok: false; status: number; error: TicketApiError };
type Parsed<T> = { ok: true; value: T } | Fail;

function fail(status: number, code: TicketApiErrorCode, message: string): Fail {
  return { ok: false, status, error: { success: false, code, message } };
}

function succeed<TData>(res: ServerResponse, data: TData): void {
  sendJson(res, 200, { success: true, code: '200', message: 'successful', data } satisfies TicketApiSuccess<TData>);
}

/** The original file name carried by `Content-Disposition` (RFC 6266 `filename*` first). */
export function fileNameFromContentDisposition(disposition: string): string | undefined {
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;\s]+)/i.exec(disposition);
  if (extended !== null) {
    try {
      return decodeURIComponent(extended[2] as string);
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition);
  if (quoted !== null) return (quoted[1] as string).replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(disposition);
  return bare?.[1];
}

async function readForm(req: IncomingMessage): Promise<Parsed<Record<string, unknown>>> {
  const body = await readRequestText(req, MAX_BODY_BYTES);
  if (!body.ok) return fail(400, 'ILLEGAL_PARAM', `The request body could not be read (${body.error}).`);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(body.value)) };
  }
  if (type === 'application/json' || type === '') {
    if (body.value.trim() === '') return { ok: true, value: {} };
    try {
      const parsed: unknown = JSON.parse(body.value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return { ok: true, value: parsed as Record<string, unknown> };
      }
    } catch {
      // Reported below.
    }
    return fail(400, 'ILLEGAL_PARAM', 'The request body must be a JSON object.');
  }
  return fail(400, 'ILLEGAL_PARAM', `Unsupported Content-Type "${type}"; send JSON or a urlencoded form.`);
}

function optionalString(form: Record<string, unknown>, name: string): Parsed<string | undefined> {
  const value = form[name];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'string') return fail(400, 'ILLEGAL_PARAM', `${name} must be a string.`);
  return { ok: true, value };
}

function requiredContent(form: Record<string, unknown>): Parsed<string> {
  const content = optionalString(form, 'content');
  if (!content.ok) return content;
  if (content.value === undefined || content.value.trim() === '') {
    return fail(400, 'ILLEGAL_PARAM_EMPTY', 'content is required and must not be empty.');
  }
  return { ok: true, value: content.value };
}

function parseAttachmentKeys(form: Record<string, unknown>): Parsed<string[]> {
  const raw = form.attachments;
  if (Array.isArray(raw)) {
    // ref §6: the Work Order API takes a comma-separated string, not a JSON array.
    return fail(400, 'ILLEGAL_PARAM', 'attachments must be a comma-separated string of object keys, not an array.');
  }
  const text = optionalString(form, 'attachments');
  if (!text.ok) return text;
  if (text.value === undefined || text.value.trim() === '') return { ok: true, value: [] };
  const keys = text.value.split(',').map((key) => key.trim());
  if (keys.some((key) => key === '')) return fail(400, 'ILLEGAL_PARAM', 'attachments contains an empty item.');
  if (keys.length > MAX_ATTACHMENTS) {
    return fail(400, 'ILLEGAL_PARAM', `At most ${MAX_ATTACHMENTS} attachments are allowed, got ${keys.length}.`);
  }
  if (new Set(keys).size !== keys.length) return fail(400, 'ILLEGAL_PARAM', 'attachments lists the same key twice.');
  return { ok: true, value: keys };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

interface EmulatorObject {
  key: string;
  size: number;
  contentDisposition?: string;
}

function isEmulatorObjectList(value: unknown): value is { objects: EmulatorObject[] } {
  if (typeof value !== 'object' || value === null) return false;
  const objects = (value as { objects?: unknown }).objects;
  return (
    Array.isArray(objects) &&
    objects.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as EmulatorObject).key === 'string' &&
        typeof (item as EmulatorObject).size === 'number',
    )
  );
}

/**
 * The demo's stand-in for the Work Order API (ref §6): getOSSTempAuthor signed for the local
 * emulator, Add (`POST /api/tickets`), QuestionReply (`POST /api/tickets/:id/replies`), and
 * ticket lookup; attachments must be objects that really exist in the emulator.
 */
export function createTicketApi(options: TicketApiOptions): TicketApi {
  const ossUrl = options.ossUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  let nextId = 100_001;
  const createId = options.createId ?? (() => String(nextId++));
  const initialSettings = {
    lifetimeSeconds: options.lifetimeSeconds ?? 120,
    signatureVersion: options.signatureVersion ?? ('v1' as OssSignatureVersion),
    maxSize: options.maxSize ?? 2_097_152,
  };
  let settings = { ...initialSettings };
  let authorizationRequests = 0;
  const tickets = new Map<string, Ticket>();

  const resolveAttachments = async (keys: string[]): Promise<Parsed<TicketAttachment[]>> => {
    if (keys.length === 0) return { ok: true, value: [] };
    let listing: unknown;
    try {
      const response = await fetch(`${ossUrl}/__control/objects`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      listing = await response.json();
    } catch (error) {
      return fail(503, 'SYSTEM_BUSY', `Could not reach the OSS emulator to check attachments: ${String(error)}`);
    }
    if (!isEmulatorObjectList(listing)) return fail(503, 'SYSTEM_BUSY', 'The OSS emulator answered an unexpected listing.');
    const byKey = new Map(listing.objects.map((object) => [object.key, object]));
    const attachments: TicketAttachment[] = [];
    for (const key of keys) {
      const object = byKey.get(key);
      if (object === undefined) {
        return fail(400, 'ILLEGAL_PARAM', `Attachment "${key}" does not exist in OSS; upload it first.`);
      }
      const fromDisposition =
        typeof object.contentDisposition === 'string' ? fileNameFromContentDisposition(object.contentDisposition) : undefined;
      attachments.push({
        key,
        name: fromDisposition ?? key.slice(key.lastIndexOf('/') + 1),
        size: object.size,
        url: `${ossUrl}/${encodeObjectKey(key)}`,
      });
    }
    return { ok: true, value: attachments };
  };

  const getAuthorization = (res: ServerResponse): void => {
    authorizationRequests += 1;
    const data = createOssTempAuthorization({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      host: `${ossUrl}/`,
      bucket: options.bucket,
      lifetimeSeconds: settings.lifetimeSeconds,
      maxSize: settings.maxSize,
      signatureVersion: settings.signatureVersion,
      now,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
    });
    res.setHeader('Date', now().toUTCString());
    sendJson(res, 200, buildGetOssTempAuthorEnvelope(data));
  };

  /** What Add and QuestionReply share: the required content and the attachments, checked against OSS. */
  const readPost = async (form: Record<string, unknown>): Promise<Parsed<{ content: string; attachments: TicketAttachment[] }>> => {
    const content = requiredContent(form);
    if (!content.ok) return content;
    const keys = parseAttachmentKeys(form);
    if (!keys.ok) return keys;
    const attachments = await resolveAttachments(keys.value);
    if (!attachments.ok) return attachments;
    return { ok: true, value: { content: content.value, attachments: attachments.value } };
  };

  const addTicket = async (req: IncomingMessage): Promise<Parsed<Ticket>> => {
    const form = await readForm(req);
    if (!form.ok) return form;
    const title = optionalString(form.value, 'title');
    if (!title.ok) return title;
    const post = await readPost(form.value);
    if (!post.ok) return post;
    const ticket: Ticket = {
      id: createId(),
      title: title.value ?? '',
      content: post.value.content,
      attachments: post.value.attachments,
      createdAt: now().toISOString(),
      replies: [],
    };
    tickets.set(ticket.id, ticket);
    return { ok: true, value: ticket };
  };

  const addReply = async (req: IncomingMessage, ticketId: string): Promise<Parsed<TicketReply>> => {
    const ticket = tickets.get(ticketId);
    if (ticket === undefined) {
      await readRequestText(req, MAX_BODY_BYTES);
      return fail(404, 'ILLEGAL_PARAM', `Ticket ${ticketId} does not exist.`);
    }
    const form = await readForm(req);
    if (!form.ok) return form;
    const post = await readPost(form.value);
    if (!post.ok) return post;
    const reply: TicketReply = {
      id: createId(),
      ticketId,
      content: post.value.content,
      attachments: post.value.attachments,
      createdAt: now().toISOString(),
    };
    ticket.replies.push(reply);
    return { ok: true, value: reply };
  };

  /**
   * The cleanup `onRemoveUploaded` calls for: an uploaded object the user removed before
   * submitting is deleted, unless a ticket or reply already references it.
   */
  const discardAttachment = async (req: IncomingMessage): Promise<Parsed<{ key: string; deleted: boolean }>> => {
    const form = await readForm(req);
    if (!form.ok) return form;
    const key = form.value.key;
    if (typeof key !== 'string' || key.trim() === '') return fail(400, 'ILLEGAL_PARAM_EMPTY', 'key is required.');
    for (const ticket of tickets.values()) {
      const attached = [ticket, ...ticket.replies].some((entry) => entry.attachments.some((attachment) => attachment.key === key));
      if (attached) return fail(400, 'ILLEGAL_PARAM', `Attachment "${key}" belongs to ticket ${ticket.id} and cannot be discarded.`);
    }
    try {
      const response = await fetch(`${ossUrl}/__control/delete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { deleted } = (await response.json()) as { deleted: boolean };
      return { ok: true, value: { key, deleted } };
    } catch (error) {
      return fail(503, 'SYSTEM_BUSY', `Could not reach the OSS emulator to delete the attachment: ${String(error)}`);
    }
  };

  const authorizationSettings = (): TicketApiAuthorizationSettings => ({ ...settings, requests: authorizationRequests });

  const updateAuthorization = async (req: IncomingMessage): Promise<Parsed<TicketApiAuthorizationSettings>> => {
    const form = await readForm(req);
    if (!form.ok) return form;
    const next = { ...settings };
    for (const [name, value] of Object.entries(form.value)) {
      // `requests` is read-only; a client echoing the whole settings object back is fine.
      if (name === 'requests') continue;
      if (name === 'lifetimeSeconds' && isPositiveInteger(value)) next.lifetimeSeconds = value;
      else if (name === 'maxSize' && isPositiveInteger(value)) next.maxSize = value;
      else if (name === 'signatureVersion' && (value === 'v1' || value === 'v4')) next.signatureVersion = value;
      else return fail(400, 'ILLEGAL_PARAM', `Invalid authorization setting ${name}=${JSON.stringify(value)}.`);
    }
    settings = next;
    return { ok: true, value: authorizationSettings() };
  };

  const respond = <T>(res: ServerResponse, result: Parsed<T>): void => {
    if (result.ok) succeed(res, result.value);
    else sendJson(res, result.status, result.error);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const ticketMatch = /^\/api\/tickets\/([^/]+)(\/replies)?$/.exec(pathname);
    if (method === 'GET' && pathname === '/api/getOSSTempAuthor') return getAuthorization(res);
    if (method === 'GET' && pathname === '/api/config') return sendJson(res, 200, { ossUrl });
    if (method === 'POST' && pathname === '/api/tickets') return respond(res, await addTicket(req));
    if (method === 'POST' && pathname === '/api/attachments/discard') return respond(res, await discardAttachment(req));
    if (ticketMatch !== null) {
      let ticketId: string;
      try {
        ticketId = decodeURIComponent(ticketMatch[1] as string);
      } catch {
        return sendJson(res, 400, { success: false, code: 'ILLEGAL_PARAM', message: 'Malformed ticket id.' } satisfies TicketApiError);
      }
      if (method === 'POST' && ticketMatch[2] !== undefined) return respond(res, await addReply(req, ticketId));
      if (method === 'GET' && ticketMatch[2] === undefined) {
        const ticket = tickets.get(ticketId);
        return respond(res, ticket === undefined ? fail(404, 'ILLEGAL_PARAM', `Ticket ${ticketId} does not exist.`) : { ok: true, value: ticket });
      }
    }
    if (pathname === '/api/__control/authorization') {
      if (method === 'GET') return sendJson(res, 200, authorizationSettings());
      if (method === 'POST') {
        const updated = await updateAuthorization(req);
        return updated.ok ? sendJson(res, 200, updated.value) : sendJson(res, updated.status, updated.error);
      }
    }
    if (method === 'POST' && pathname === '/api/__control/reset') {
      await readRequestText(req, MAX_BODY_BYTES);
      tickets.clear();
      settings = { ...initialSettings };
      authorizationRequests = 0;
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, { success: false, code: 'NOT_FOUND', message: `No API route ${method} ${pathname}.` } satisfies TicketApiError);
  };

  return {
    handle(req, res, next) {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname !== '/api' && !pathname.startsWith('/api/')) {
        if (next !== undefined) next();
        else sendJson(res, 404, { success: false, code: 'NOT_FOUND', message: `Not found: ${pathname}` } satisfies TicketApiError);
        return;
      }
      route(req, res, pathname).catch((error: unknown) => {
        if (!res.headersSent) {
          sendJson(res, 500, { success: false, code: 'SYSTEM_BUSY', message: String(error) } satisfies TicketApiError);
        } else {
          res.destroy();
        }
      });
    },
  };
}
