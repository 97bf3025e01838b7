import { createAttachmentUploadUrlHandler } from '../attachmentUploadUrlHandler.js';
import { createGetOssTempAuthorHandler } from '../getOssTempAuthorHandler.js';
import type { WebRequestHandler } from '../toNodeHandler.js';
import { createWorkOrder2021Client } from '../workOrder2021Client.js';
import { WorkOrderApiError } from '../workOrderApiError.js';
import { createWorkOrderClient } from '../workOrderClient.js';
import type { WorkOrderTicket } from '../workOrderTicketStore.js';
import { DEMO_API_VERSIONS, type DemoApiVersion, type DemoAttachment, type DemoReply, type DemoTicket } from './demoTicketView.js';

/** Where the Work Order API is and the AccessKey to call it with (from the environment; never logged). */
export interface WorkOrderConnection {
  /** `https://workorder.aliyuncs.com` for the real service, `http://127.0.0.1:<port>` for the emulator. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * How the demo reads a 2016-08-30 ticket back. That API has no read action we know of
 * (docs/work-order-api.md §1), so the local stack hands the emulator's own store here; against the
 * real service there is none and the view shows what this backend submitted.
 */
export interface LegacyTicketReadBack {
  getTicket(id: string): WorkOrderTicket | undefined;
  /** Name, size and a presigned download link of an attachment. */
  describeAttachment(key: string): Promise<DemoAttachment | undefined>;
}

export interface DemoBackendOptions {
  workOrder: WorkOrderConnection;
  /** `aliUid` of `add` (the customer's account id). Default: a demo number. */
  aliUid?: string;
  /** `CategoryId` and `Severity` of CreateTicket. Default: `'1'` and 2. */
  categoryId?: string;
  severity?: number;
  legacyReadBack?: LegacyTicketReadBack;
  /** Deletes an orphan upload (OSS DeleteObject). Without it a discard deletes nothing. */
  deleteAttachment?: (key: string) => Promise<boolean>;
  /** Extra fields of `GET /api/config` (the OSS emulator's URL for the network panel). */
  config?: Record<string, unknown>;
  /** Sees every upstream failure in full, for the terminal. */
  onError?: (error: unknown) => void;
}

export interface DemoBackend {
  /** Serves `/api/*`; anything else answers 404. */
  handle: WebRequestHandler;
  /** Forgets the tickets this backend created. */
  reset(): void;
}

interface SubmittedPost {
  id: string;
  content: string;
  keys: string[];
  createdAt: string;
}

interface TicketRecord extends SubmittedPost {
  apiVersion: DemoApiVersion;
  title: string;
  replies: SubmittedPost[];
}

type ErrorCode = 'ILLEGAL_PARAM' | 'ILLEGAL_PARAM_EMPTY' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'UPSTREAM_ERROR' | 'UPSTREAM_TIMEOUT';

class DemoRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

const success = (data: unknown): Response => json(200, { success: true, code: '200', message: 'successful', data });
const failure = (status: number, code: string, message: string, requestId?: string): Response =>
  json(status, { success: false, code, message, ...(requestId === undefined ? {} : { requestId }) });

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DemoRequestError(400, 'ILLEGAL_PARAM', 'The request body must be JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DemoRequestError(400, 'ILLEGAL_PARAM', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new DemoRequestError(400, 'ILLEGAL_PARAM', `${name} must be a string.`);
  return value;
}

function requiredContent(body: Record<string, unknown>): string {
  const content = text(body, 'content');
  if (content === undefined || content.trim() === '')
    throw new DemoRequestError(400, 'ILLEGAL_PARAM_EMPTY', 'content is required and must not be empty.');
  return content;
}

/** The keys the uploader handed the form: its `toAttachmentsParam` string (or a list). The API checks them. */
function attachmentKeys(body: Record<string, unknown>): string[] {
  const raw = body.attachments;
  if (raw === undefined || raw === null || raw === '') return [];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (list === undefined || list.some((key) => typeof key !== 'string')) {
    throw new DemoRequestError(400, 'ILLEGAL_PARAM', 'attachments must be a comma-separated string of object keys.');
  }
  return (list as string[]).map((key) => key.trim()).filter((key) => key !== '');
}

function apiVersionOf(body: Record<string, unknown>): DemoApiVersion {
  const value = body.apiVersion ?? '2016-08-30';
  if (!DEMO_API_VERSIONS.includes(value as DemoApiVersion)) {
    throw new DemoRequestError(400, 'ILLEGAL_PARAM', `apiVersion must be one of ${DEMO_API_VERSIONS.join(', ')}.`);
  }
  return value as DemoApiVersion;
}

const lastSegment = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
const isoTime = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * The demo's backend, written the way a Work Order customer's backend is: the published handlers
 * (`GET /api/getOSSTempAuthor`, `POST /api/attachment-upload-url`) and the published clients on
 * Alibaba's SDKs, pointed at `workOrder.endpoint` with `workOrder`'s AccessKey, plus the demo's
 * ticket routes: `POST /api/tickets` (add or CreateTicket), `POST /api/tickets/:id/replies`
 * (QuestionReply or ReplyTicket), `GET /api/tickets/:id` (read back) and
 * `POST /api/attachments/discard` (deletes an orphan upload, refused once a ticket references it).
 */
export function createDemoBackend(options: DemoBackendOptions): DemoBackend {
  const { workOrder } = options;
  const endpoint = new URL(workOrder.endpoint);
  const credentials = {
    accessKeyId: workOrder.accessKeyId,
    accessKeySecret: workOrder.accessKeySecret,
    ...(workOrder.securityToken === undefined ? {} : { securityToken: workOrder.securityToken }),
  };
  const legacy = createWorkOrderClient({ endpoint: workOrder.endpoint, ...credentials });
  const current = createWorkOrder2021Client({
    endpoint: endpoint.host,
    protocol: endpoint.protocol === 'http:' ? 'http' : 'https',
    ...credentials,
  });
  const onError = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing logger must not change the answer.
    }
  };
  const getOssTempAuthor = createGetOssTempAuthorHandler({ client: legacy, onError });
  const attachmentUploadUrl = createAttachmentUploadUrlHandler({ client: current });
  const aliUid = options.aliUid ?? '1000000000000000';
  const categoryId = options.categoryId ?? '1';
  const severity = options.severity ?? 2;
  const tickets = new Map<string, TicketRecord>();

  const recordOf = (id: string): TicketRecord => {
    const record = tickets.get(id);
    if (record === undefined) throw new DemoRequestError(404, 'NOT_FOUND', `Ticket ${id} was not created through this backend.`);
    return record;
  };

  const describeKeys = async (keys: readonly string[]): Promise<DemoAttachment[]> =>
    Promise.all(keys.map(async (key) => (await options.legacyReadBack?.describeAttachment(key)) ?? { key, name: lastSegment(key) }));

  const legacyView = async (record: TicketRecord): Promise<DemoTicket> => {
    const stored = options.legacyReadBack?.getTicket(record.id);
    // Against the real service: what this backend submitted, as it has no read action to ask.
    const source = stored ?? {
      ...record,
      attachments: record.keys,
      replies: record.replies.map((reply) => ({ ...reply, attachments: reply.keys })),
    };
    return {
      id: record.id,
      apiVersion: '2016-08-30',
      title: source.title,
      content: source.content,
      createdAt: source.createdAt,
      attachments: await describeKeys(source.attachments),
      replies: await Promise.all(
        source.replies.map(async (reply) => ({
          id: reply.id,
          content: reply.content,
          createdAt: reply.createdAt,
          attachments: await describeKeys(reply.attachments),
        })),
      ),
    };
  };

  /** 2021-06-10 reads back through GetTicket and ListTicketNotes; the first note is the description. */
  const currentView = async (record: TicketRecord): Promise<DemoTicket> => {
    const [details, { notes }] = await Promise.all([current.getTicket(record.id), current.listTicketNotes(record.id)]);
    const toReply = (note: (typeof notes)[number]): DemoReply => ({
      id: String(note.dialogId ?? ''),
      content: note.content,
      ...(note.createTime === undefined ? {} : { createdAt: isoTime(note.createTime) }),
      attachments: note.attachments.map((attachment) => ({
        key: attachment.name,
        name: attachment.name,
        ...(attachment.url === '' ? {} : { url: attachment.url }),
      })),
    });
    const [opening, ...replies] = notes.map(toReply);
    return {
      id: details.ticketId,
      apiVersion: '2021-06-10',
      title: details.title,
      content: details.description,
      ...(details.createTime === undefined ? {} : { createdAt: isoTime(details.createTime) }),
      attachments: opening?.attachments ?? [],
      replies,
    };
  };

  const view = (record: TicketRecord): Promise<DemoTicket> =>
    record.apiVersion === '2016-08-30' ? legacyView(record) : currentView(record);

  const createTicket = async (request: Request): Promise<Response> => {
    const body = await readBody(request);
    const apiVersion = apiVersionOf(body);
    const title = text(body, 'title') ?? '';
    const content = requiredContent(body);
    const keys = attachmentKeys(body);
    let id: string;
    if (apiVersion === '2016-08-30') {
      const envelope = await legacy.add({ content, aliUid, ...(title === '' ? {} : { title }), attachments: keys });
      // What `add` answers as data is not documented (docs/work-order-api.md §1); the emulator answers the id.
      id = String(envelope.data);
    } else {
      ({ ticketId: id } = await current.createTicket({
        description: content,
        severity,
        categoryId,
        ...(title === '' ? {} : { title }),
        fileNameList: keys,
      }));
    }
    const record: TicketRecord = { id, apiVersion, title, content, keys, createdAt: new Date().toISOString(), replies: [] };
    tickets.set(id, record);
    return success(await view(record));
  };

  const replyToTicket = async (request: Request, ticketId: string): Promise<Response> => {
    const record = recordOf(ticketId);
    const body = await readBody(request);
    const content = requiredContent(body);
    const keys = attachmentKeys(body);
    let replyId: string;
    if (record.apiVersion === '2016-08-30') {
      replyId = String((await legacy.questionReply({ questionId: ticketId, questionContent: content, attachments: keys })).data);
    } else {
      replyId = (await current.replyTicket({ ticketId, content, fileNameList: keys })).data;
    }
    record.replies.push({ id: replyId, content, keys, createdAt: new Date().toISOString() });
    const refreshed = await view(record);
    const reply = refreshed.replies.find((candidate) => candidate.id === replyId) ?? refreshed.replies.at(-1);
    return success(reply);
  };

  const discardAttachment = async (request: Request): Promise<Response> => {
    const key = text(await readBody(request), 'key');
    if (key === undefined || key.trim() === '') throw new DemoRequestError(400, 'ILLEGAL_PARAM_EMPTY', 'key is required.');
    for (const record of tickets.values()) {
      if ([record, ...record.replies].some((post) => post.keys.includes(key))) {
        throw new DemoRequestError(400, 'ILLEGAL_PARAM', `Attachment "${key}" belongs to ticket ${record.id} and cannot be discarded.`);
      }
    }
    const deleted = options.deleteAttachment === undefined ? false : await options.deleteAttachment(key);
    return success({ key, deleted });
  };

  const route = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const { method } = request;
    if (pathname === '/api/getOSSTempAuthor') return getOssTempAuthor(request);
    if (pathname === '/api/attachment-upload-url') return attachmentUploadUrl(request);
    if (method === 'GET' && pathname === '/api/config') return json(200, { ...options.config, apiVersions: DEMO_API_VERSIONS });
    if (method === 'POST' && pathname === '/api/tickets') return createTicket(request);
    if (method === 'POST' && pathname === '/api/attachments/discard') return discardAttachment(request);
    const ticketMatch = /^\/api\/tickets\/([^/]+)(\/replies)?$/.exec(pathname);
    if (ticketMatch !== null) {
      let ticketId: string;
      try {
        ticketId = decodeURIComponent(ticketMatch[1] as string);
      } catch {
        throw new DemoRequestError(400, 'ILLEGAL_PARAM', 'Malformed ticket id.');
      }
      if (method === 'POST' && ticketMatch[2] !== undefined) return replyToTicket(request, ticketId);
      if (method === 'GET' && ticketMatch[2] === undefined) return success(await view(recordOf(ticketId)));
      throw new DemoRequestError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}.`);
    }
    throw new DemoRequestError(404, 'NOT_FOUND', `No API route ${method} ${pathname}.`);
  };

  return {
    async handle(request) {
      try {
        return await route(request);
      } catch (error) {
        if (error instanceof DemoRequestError) return failure(error.status, error.code, error.message);
        if (!(error instanceof WorkOrderApiError)) throw error;
        onError(error);
        // A business refusal (a missing attachment, a wrong key) is the user's to read; anything
        // else is summed up, never with the upstream's text (it may name the endpoint).
        if (error.kind === 'business') return failure(400, error.code, error.message, error.requestId);
        if (error.kind === 'timeout')
          return failure(504, 'UPSTREAM_TIMEOUT', 'The Work Order API did not answer in time.', error.requestId);
        return failure(502, 'UPSTREAM_ERROR', `The Work Order API refused the call (${error.code}).`, error.requestId);
      }
    },
    reset() {
      tickets.clear();
    },
  };
}
