import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestText, sendJson } from '../../local-stack/jsonHttp.js';
import { ok } from '../../result.js';
import {
  buildGetOssTempAuthorEnvelope,
  createOssTempAuthorization,
  type OssSignatureVersion,
} from '../../signer/ossPostPolicySigner.js';
import { AuthorizationSettings } from './authorizationSettings.js';
import { createEmulatorAttachments } from './emulatorAttachments.js';
import { sendTicketApiError, sendTicketApiResult, ticketApiFailure, type TicketApiResult } from './ticketApiResponses.js';
import {
  MAX_BODY_BYTES,
  optionalString,
  parseAttachmentKeys,
  readForm,
  requiredContent,
  type TicketForm,
} from './ticketRequestValidation.js';
import { TicketStore, type Ticket, type TicketPost, type TicketReply } from './ticketStore.js';

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
  /** Authorization lifetime in seconds. Default: 120 (docs/oss-protocol.md §6). */
  lifetimeSeconds?: number;
  /** Largest attachment in bytes. Default: 2_097_152 (docs/oss-protocol.md §6). */
  maxSize?: number;
  /** Default: `'v1'`. */
  signatureVersion?: OssSignatureVersion;
  /** Clock for authorizations and ticket timestamps. Default: `() => new Date()`. */
  now?: () => Date;
  /** Ticket and reply ids. Default: sequential numbers from 100001. */
  createId?: () => string;
}

/** The ticket API as connect-style middleware (Vite `server.middlewares` or a plain http server). */
export interface TicketApi {
  /** Handles `/api/*`; calls `next()` for anything else (404 when there is no `next`). */
  handle(req: IncomingMessage, res: ServerResponse, next?: () => void): void;
}

/**
 * The demo's stand-in for the Work Order API (docs/oss-protocol.md §6): getOSSTempAuthor signed for the local
 * emulator, Add (`POST /api/tickets`), QuestionReply (`POST /api/tickets/:id/replies`), and
 * ticket lookup; attachments must be objects that really exist in the emulator.
 */
export function createTicketApi(options: TicketApiOptions): TicketApi {
  const ossUrl = options.ossUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  let nextId = 100_001;
  const tickets = new TicketStore(options.createId ?? (() => String(nextId++)), now);
  const settings = new AuthorizationSettings({
    lifetimeSeconds: options.lifetimeSeconds ?? 120,
    signatureVersion: options.signatureVersion ?? 'v1',
    maxSize: options.maxSize ?? 2_097_152,
  });
  const bucketObjects = createEmulatorAttachments(ossUrl);

  const getAuthorization = (res: ServerResponse): void => {
    const { lifetimeSeconds, maxSize, signatureVersion } = settings.forNextRequest();
    const data = createOssTempAuthorization({
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      host: `${ossUrl}/`,
      bucket: options.bucket,
      lifetimeSeconds,
      maxSize,
      signatureVersion,
      now,
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
    });
    res.setHeader('Date', now().toUTCString());
    sendJson(res, 200, buildGetOssTempAuthorEnvelope(data));
  };

  /** What Add and QuestionReply share: the required content and the attachments, checked against OSS. */
  const readPost = async (form: TicketForm): Promise<TicketApiResult<TicketPost>> => {
    const content = requiredContent(form);
    if (!content.ok) return content;
    const keys = parseAttachmentKeys(form);
    if (!keys.ok) return keys;
    const attachments = await bucketObjects.resolve(keys.value);
    if (!attachments.ok) return attachments;
    return ok({ content: content.value, attachments: attachments.value });
  };

  const addTicket = async (req: IncomingMessage): Promise<TicketApiResult<Ticket>> => {
    const form = await readForm(req);
    if (!form.ok) return form;
    const title = optionalString(form.value, 'title');
    if (!title.ok) return title;
    const post = await readPost(form.value);
    if (!post.ok) return post;
    return ok(tickets.add(title.value ?? '', post.value));
  };

  const addReply = async (req: IncomingMessage, ticketId: string): Promise<TicketApiResult<TicketReply>> => {
    const ticket = tickets.get(ticketId);
    if (ticket === undefined) {
      await readRequestText(req, MAX_BODY_BYTES);
      return ticketApiFailure(404, 'ILLEGAL_PARAM', `Ticket ${ticketId} does not exist.`);
    }
    const form = await readForm(req);
    if (!form.ok) return form;
    const post = await readPost(form.value);
    if (!post.ok) return post;
    return ok(tickets.addReply(ticket, post.value));
  };

  /**
   * The cleanup `onRemoveUploaded` calls for: an uploaded object the user removed before
   * submitting is deleted, unless a ticket or reply already references it.
   */
  const discardAttachment = async (req: IncomingMessage): Promise<TicketApiResult<{ key: string; deleted: boolean }>> => {
    const form = await readForm(req);
    if (!form.ok) return form;
    const key = form.value.key;
    if (typeof key !== 'string' || key.trim() === '') return ticketApiFailure(400, 'ILLEGAL_PARAM_EMPTY', 'key is required.');
    const owner = tickets.ticketReferencing(key);
    if (owner !== undefined) {
      return ticketApiFailure(400, 'ILLEGAL_PARAM', `Attachment "${key}" belongs to ticket ${owner.id} and cannot be discarded.`);
    }
    return bucketObjects.remove(key);
  };

  const updateAuthorization = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = await readForm(req);
    const updated = form.ok ? settings.update(form.value) : form;
    if (updated.ok) sendJson(res, 200, updated.value);
    else sendJson(res, updated.error.status, updated.error.body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const ticketMatch = /^\/api\/tickets\/([^/]+)(\/replies)?$/.exec(pathname);
    if (method === 'GET' && pathname === '/api/getOSSTempAuthor') return getAuthorization(res);
    if (method === 'GET' && pathname === '/api/config') return sendJson(res, 200, { ossUrl });
    if (method === 'POST' && pathname === '/api/tickets') return sendTicketApiResult(res, await addTicket(req));
    if (method === 'POST' && pathname === '/api/attachments/discard') return sendTicketApiResult(res, await discardAttachment(req));
    if (ticketMatch !== null) {
      let ticketId: string;
      try {
        ticketId = decodeURIComponent(ticketMatch[1] as string);
      } catch {
        return sendTicketApiError(res, 400, 'ILLEGAL_PARAM', 'Malformed ticket id.');
      }
      if (method === 'POST' && ticketMatch[2] !== undefined) return sendTicketApiResult(res, await addReply(req, ticketId));
      if (method === 'GET' && ticketMatch[2] === undefined) {
        const ticket = tickets.get(ticketId);
        return sendTicketApiResult(
          res,
          ticket === undefined ? ticketApiFailure(404, 'ILLEGAL_PARAM', `Ticket ${ticketId} does not exist.`) : ok(ticket),
        );
      }
    }
    if (pathname === '/api/__control/authorization') {
      if (method === 'GET') return sendJson(res, 200, settings.current);
      if (method === 'POST') return updateAuthorization(req, res);
    }
    if (method === 'POST' && pathname === '/api/__control/reset') {
      await readRequestText(req, MAX_BODY_BYTES);
      tickets.clear();
      settings.reset();
      return sendJson(res, 200, { ok: true });
    }
    sendTicketApiError(res, 404, 'NOT_FOUND', `No API route ${method} ${pathname}.`);
  };

  return {
    handle(req, res, next) {
      const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname !== '/api' && !pathname.startsWith('/api/')) {
        if (next !== undefined) next();
        else sendTicketApiError(res, 404, 'NOT_FOUND', `Not found: ${pathname}`);
        return;
      }
      route(req, res, pathname).catch((error: unknown) => {
        if (!res.headersSent) sendTicketApiError(res, 500, 'SYSTEM_BUSY', String(error));
        else res.destroy();
      });
    },
  };
}
