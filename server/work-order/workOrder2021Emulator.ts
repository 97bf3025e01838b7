import { randomBytes } from 'node:crypto';
import { verifyAcs3Request } from './acs3Signature.js';
import {
  businessErrorResponse,
  createWorkOrder2021RequestId,
  gatewayErrorResponse,
  successResponse,
  WorkOrder2021BusinessCode,
  workOrder2021GatewayErrors,
  type WorkOrder2021BusinessError,
  type WorkOrder2021GatewayError,
} from './workOrder2021Answers.js';
import { validateAttachmentFileName } from './validateAttachmentFileName.js';
import { WorkOrder2021Tickets, type WorkOrder2021Note, type WorkOrder2021Ticket } from './workOrder2021Tickets.js';

/** The API version this emulator serves; requests carry it as `x-acs-version` (docs/work-order-api.md §1). */
export const WORK_ORDER_2021_VERSION = '2021-06-10';

/**
 * The Content-Type `PutSignedUrl` is signed for by default: the one the service's own curl example
 * sends (docs/work-order-api.md §4). Which type the real service signs is not documented [U], so
 * it is an option; the browser must send exactly this type whatever the file is.
 */
export const DEFAULT_UPLOAD_CONTENT_TYPE = 'application/octet-stream';

/** docs/work-order-api.md §1: `FileNameList` takes at most 3 keys. */
const MAX_ATTACHMENTS = 3;
/** docs/work-order-api.md §2: x-acs-date may be at most 15 minutes off the gateway's clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_BODY_BYTES = 256 * 1024;

export interface WorkOrder2021Credential {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token the requests of this key must carry as `x-acs-security-token`. */
  securityToken?: string;
}

export interface WorkOrder2021EmulatorOptions {
  /** The AccessKeys the emulator knows. */
  credentials: readonly WorkOrder2021Credential[];
  /** Presigns an OSS URL for an object key: PUT with the upload Content-Type, GET without one. */
  presign: (objectKey: string, method: 'PUT' | 'GET', contentType: string | undefined) => string | Promise<string>;
  /** Whether an object was uploaded under that key (asks the OSS emulator). */
  objectExists: (objectKey: string) => boolean | Promise<boolean>;
  /** Content-Type PutSignedUrl is signed for, fixed or per file name. Default: {@link DEFAULT_UPLOAD_CONTENT_TYPE}. */
  uploadContentType?: string | ((fileName: string) => string);
  /** Prefix of every issued ObjectKey. Default: `'workorder/attachments/'`. */
  keyPrefix?: string;
  /** The gateway's clock in ms. Default: Date.now. */
  now?: () => number;
  /** Ticket ids. Default: sequential numbers from 2021000001. */
  createTicketId?: () => string;
  /** The unique part of an ObjectKey. Default: 16 random hex characters. */
  createKeyId?: () => string;
}

export interface WorkOrder2021Emulator {
  /** Serves one API call. */
  handle: (request: Request) => Promise<Response>;
  /** The tickets created so far. */
  readonly tickets: WorkOrder2021Tickets;
  /** ObjectKeys handed out by GetAttachmentUploadUrl, in order. */
  issuedKeys(): string[];
}

/** Whether a request is for the 2021-06-10 API (the legacy 2016-08-30 client sends its own version). */
export function isWorkOrder2021Request(request: Request): boolean {
  return request.headers.get('x-acs-version') === WORK_ORDER_2021_VERSION;
}

type Params = Map<string, string>;
type ActionResult =
  { ok: true; data: unknown } | { ok: false; gateway: WorkOrder2021GatewayError } | { ok: false; business: WorkOrder2021BusinessError };

interface CallContext {
  params: Params;
  accessKeyId: string;
}

function gateway(error: WorkOrder2021GatewayError): ActionResult {
  return { ok: false, gateway: error };
}

function business(code: WorkOrder2021BusinessCode, message: string): ActionResult {
  return { ok: false, business: { code, message } };
}

/** Reads at most `limit` bytes of the body; undefined when it is larger. */
async function readBody(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** RPC parameters: the query, then the form body (docs/work-order-api.md §6: the SDK uses both). */
function readParams(url: URL, body: Uint8Array, contentType: string | null): Params {
  const params: Params = new Map(url.searchParams);
  if (body.length > 0 && (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(Buffer.from(body).toString('utf8'))) params.set(name, value);
  }
  return params;
}

function fileNameOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

function isoDate(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The Work Order API 2021-06-10 on loopback: checks the V3 signature the official SDK sends
 * (docs/work-order-api.md §3, §6) and serves GetAttachmentUploadUrl, CreateTicket, ReplyTicket,
 * GetTicket and ListTicketNotes with the documented envelopes (§1).
 */
export function createWorkOrder2021Emulator(options: WorkOrder2021EmulatorOptions): WorkOrder2021Emulator {
  const now = options.now ?? Date.now;
  const keyPrefix = options.keyPrefix ?? 'workorder/attachments/';
  const createKeyId = options.createKeyId ?? (() => randomBytes(8).toString('hex'));
  let nextTicketNumber = 2021000001;
  const tickets = new WorkOrder2021Tickets(options.createTicketId ?? (() => String(nextTicketNumber++)));
  const credentials = new Map(options.credentials.map((credential) => [credential.accessKeyId, credential]));
  const issued = new Map<string, { issuedAt: number; fileName: string }>();
  /** Nonces seen within the clock-skew window (older requests fail the date check anyway). */
  const nonces = new Map<string, number>();

  const uploadContentType = (fileName: string): string => {
    const configured = options.uploadContentType ?? DEFAULT_UPLOAD_CONTENT_TYPE;
    return typeof configured === 'function' ? configured(fileName) : configured;
  };

  function forgetOldNonces(nowMs: number): void {
    for (const [nonce, seenAt] of nonces) {
      if (nowMs - seenAt > 2 * MAX_CLOCK_SKEW_MS) nonces.delete(nonce);
      else break;
    }
  }

  /** Signature, credentials, date and nonce (§2, §3); returns the caller's AccessKeyId. */
  function authenticate(
    request: Request,
    body: Uint8Array,
  ): { ok: true; accessKeyId: string } | { ok: false; error: WorkOrder2021GatewayError } {
    const verification = verifyAcs3Request({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      lookupSecret: (id) => credentials.get(id)?.accessKeySecret,
    });
    if (!verification.ok) {
      switch (verification.reason) {
        case 'missing-authorization':
        case 'malformed-authorization':
        case 'unsigned-header':
          return { ok: false, error: workOrder2021GatewayErrors.incompleteSignature(verification.detail) };
        case 'unknown-access-key':
          return { ok: false, error: workOrder2021GatewayErrors.accessKeyNotFound() };
        case 'content-sha256-mismatch':
          return { ok: false, error: workOrder2021GatewayErrors.contentSha256Mismatch() };
        case 'signature-mismatch':
          return { ok: false, error: workOrder2021GatewayErrors.signatureDoesNotMatch(verification.stringToSign ?? '') };
      }
    }
    const credential = credentials.get(verification.accessKeyId);
    if (credential?.securityToken !== undefined && request.headers.get('x-acs-security-token') !== credential.securityToken) {
      return { ok: false, error: workOrder2021GatewayErrors.securityTokenMismatch() };
    }
    const nowMs = now();
    const date = isoDate(request.headers.get('x-acs-date') ?? '');
    if (date === undefined) return { ok: false, error: workOrder2021GatewayErrors.timestampFormat() };
    if (Math.abs(nowMs - date) > MAX_CLOCK_SKEW_MS) return { ok: false, error: workOrder2021GatewayErrors.timestampExpired() };
    const nonce = request.headers.get('x-acs-signature-nonce') ?? '';
    forgetOldNonces(nowMs);
    // Recorded only once the signature is good: a forged request must not burn a real client's nonce.
    if (nonce === '' || nonces.has(nonce)) return { ok: false, error: workOrder2021GatewayErrors.nonceUsed() };
    nonces.set(nonce, nowMs);
    return { ok: true, accessKeyId: verification.accessKeyId };
  }

  function required(params: Params, name: string): string | ActionResult {
    const value = params.get(name);
    return value === undefined || value === '' ? gateway(workOrder2021GatewayErrors.missingParameter(name)) : value;
  }

  /** `FileNameList`: comma-joined keys (§6), each issued here and uploaded, at most 3. */
  async function checkAttachments(list: string | undefined): Promise<string[] | ActionResult> {
    if (list === undefined || list.trim() === '') return [];
    const keys = [
      ...new Set(
        list
          .split(',')
          .map((key) => key.trim())
          .filter((key) => key !== ''),
      ),
    ];
    if (keys.length > MAX_ATTACHMENTS) {
      return business(WorkOrder2021BusinessCode.TooManyAttachments, `FileNameList takes at most ${MAX_ATTACHMENTS} attachments.`);
    }
    for (const key of keys) {
      if (!issued.has(key)) {
        return business(WorkOrder2021BusinessCode.AttachmentNotIssued, `The attachment "${key}" was not issued by GetAttachmentUploadUrl.`);
      }
      if (!(await options.objectExists(key))) {
        return business(WorkOrder2021BusinessCode.AttachmentNotUploaded, `The attachment "${key}" has not been uploaded.`);
      }
    }
    return keys;
  }

  async function noteView(note: WorkOrder2021Note): Promise<Record<string, unknown>> {
    return {
      DialogId: note.dialogId,
      CreateTime: note.createdAt,
      // [U] the meaning of Type, Status and Role is not documented; 1 = customer message here.
      Type: 1,
      Status: 1,
      Tip: '',
      Dialog: { Content: note.content, Schema: 'text' },
      User: { Name: note.author, Role: 1 },
      Attachments: await Promise.all(
        note.attachmentKeys.map(async (key) => ({
          Name: issued.get(key)?.fileName ?? fileNameOfKey(key),
          Url: await options.presign(key, 'GET', undefined),
        })),
      ),
    };
  }

  function ticketView(ticket: WorkOrder2021Ticket): Record<string, unknown> {
    return {
      TicketId: ticket.ticketId,
      Title: ticket.title,
      Description: ticket.description,
      CategoryId: ticket.categoryId,
      CreateTime: ticket.createdAt,
      CreatorId: ticket.creatorId,
      Severity: { Label: String(ticket.severity), Value: String(ticket.severity) },
      Status: { Label: 'Pending', Value: 'pending' },
    };
  }

  function findTicket(params: Params): WorkOrder2021Ticket | ActionResult {
    const ticketId = required(params, 'TicketId');
    if (typeof ticketId !== 'string') return ticketId;
    return tickets.get(ticketId) ?? business(WorkOrder2021BusinessCode.TicketNotFound, `The ticket "${ticketId}" does not exist.`);
  }

  const isResult = (value: unknown): value is ActionResult => typeof value === 'object' && value !== null && 'ok' in value;

  const actions: Record<string, (context: CallContext) => Promise<ActionResult>> = {
    async GetAttachmentUploadUrl({ params }) {
      const fileName = required(params, 'FileName');
      if (typeof fileName !== 'string') return fileName;
      // [U] the service's own rules for FileName are not documented; the emulator holds it to ours.
      const invalid = validateAttachmentFileName(fileName);
      if (invalid !== undefined) return business(WorkOrder2021BusinessCode.InvalidFileName, invalid.replace(/^fileName/, 'FileName'));
      // FileNameList joins keys with commas (docs/work-order-api.md §6), so no key may contain one;
      // the original name is kept for the notes' attachment list.
      const objectKey = `${keyPrefix}${createKeyId()}/${fileName.replace(/,/g, '_')}`;
      issued.set(objectKey, { issuedAt: now(), fileName });
      return {
        ok: true,
        data: {
          ObjectKey: objectKey,
          PutSignedUrl: await options.presign(objectKey, 'PUT', uploadContentType(fileName)),
          GetSignedUrl: await options.presign(objectKey, 'GET', undefined),
        },
      };
    },

    async CreateTicket({ params, accessKeyId }) {
      const fields: Record<string, string> = {};
      for (const name of ['Description', 'Severity', 'CategoryId']) {
        const value = required(params, name);
        if (typeof value !== 'string') return value;
        fields[name] = value;
      }
      if (!/^\d{1,3}$/.test(fields.Severity ?? '')) {
        return gateway(workOrder2021GatewayErrors.invalidParameter('Severity', 'an integer is expected.'));
      }
      const attachments = await checkAttachments(params.get('FileNameList'));
      if (isResult(attachments)) return attachments;
      const createdAt = now();
      const ticket = tickets.create({
        title: params.get('Title') ?? '',
        description: fields.Description ?? '',
        categoryId: fields.CategoryId ?? '',
        severity: Number(fields.Severity),
        creatorId: accessKeyId,
        createdAt,
        attachmentKeys: attachments,
      });
      // §6: Data is the ticket id as a string; the SDK throws on anything else.
      return { ok: true, data: ticket.ticketId };
    },

    async ReplyTicket({ params, accessKeyId }) {
      const ticket = findTicket(params);
      if (isResult(ticket)) return ticket;
      const content = required(params, 'Content');
      if (typeof content !== 'string') return content;
      const attachments = await checkAttachments(params.get('FileNameList'));
      if (isResult(attachments)) return attachments;
      const note = tickets.reply(ticket, { content, attachmentKeys: attachments, createdAt: now(), author: accessKeyId });
      // The SDK types ReplyTicket's Data as a string too.
      return { ok: true, data: String(note.dialogId) };
    },

    async GetTicket({ params }) {
      const ticket = findTicket(params);
      if (isResult(ticket)) return ticket;
      return { ok: true, data: ticketView(ticket) };
    },

    async ListTicketNotes({ params }) {
      const ticket = findTicket(params);
      if (isResult(ticket)) return ticket;
      return { ok: true, data: await Promise.all(ticket.notes.map(noteView)) };
    },
  };

  async function handle(request: Request): Promise<Response> {
    const requestId = createWorkOrder2021RequestId();
    const url = new URL(request.url);
    const hostId = request.headers.get('host') ?? url.host;
    const fail = (error: WorkOrder2021GatewayError): Response => gatewayErrorResponse(error, requestId, hostId);
    const version = request.headers.get('x-acs-version') ?? '';
    if (version !== WORK_ORDER_2021_VERSION) return fail(workOrder2021GatewayErrors.unsupportedVersion(version));
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === undefined) return fail(workOrder2021GatewayErrors.bodyTooLarge());
    const caller = authenticate(request, body);
    if (!caller.ok) return fail(caller.error);
    const actionName = request.headers.get('x-acs-action') ?? '';
    const action = Object.hasOwn(actions, actionName) ? actions[actionName] : undefined;
    if (action === undefined) return fail(workOrder2021GatewayErrors.actionNotFound(actionName));
    const result = await action({ params: readParams(url, body, request.headers.get('content-type')), accessKeyId: caller.accessKeyId });
    if (result.ok) return successResponse(result.data, requestId);
    if ('gateway' in result) return fail(result.gateway);
    return businessErrorResponse(result.business, requestId);
  }

  return { handle, tickets, issuedKeys: () => [...issued.keys()] };
}
