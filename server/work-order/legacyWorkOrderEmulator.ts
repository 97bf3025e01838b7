import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkRpcGatewayRequest, createSignatureNonceRegistry, type WorkOrderCredential } from './checkRpcGatewayRequest.js';
import {
  WORK_ORDER_GATEWAY_ERROR_STATUS,
  buildWorkOrderGatewayErrorBody,
  type WorkOrderGatewayErrorCode,
} from './workOrderGatewayError.js';
import { DEFAULT_WORK_ORDER_FAULTS, type WorkOrderFaults, type WorkOrderFaultsPatch } from './workOrderFaults.js';
import {
  LEGACY_WORK_ORDER_API_VERSION,
  WORK_ORDER_BUSINESS_ERRORS,
  type LegacyWorkOrderEnvelope,
  type WorkOrderBusinessErrorName,
  type WorkOrderOssAuthorization,
} from './legacyWorkOrderEnvelope.js';
import { createWorkOrderTicketStore, type WorkOrderTicket } from './workOrderTicketStore.js';

export interface LegacyWorkOrderEmulatorOptions {
  /** The AccessKeys the gateway knows; one with a `securityToken` is an STS credential. */
  credentials: readonly WorkOrderCredential[];
  /**
   * Signs a POST policy for uploads under `dir` (the local stack wires the OSS signer here:
   * 2-minute lifetime, 2 MB). The answer's `dir` must be the one given.
   */
  issueAuthorization: (dir: string) => WorkOrderOssAuthorization | Promise<WorkOrderOssAuthorization>;
  /** Whether the attachment bucket holds `key`. A throw answers `-153 SYSTEM_BUSY`. */
  objectExists: (key: string) => boolean | Promise<boolean>;
  /** Clock before the `clockOffsetMs` fault. Default: `() => new Date()`. */
  now?: () => Date;
  /** Ticket and reply ids. Default: sequential numbers from 100001. */
  createId?: () => string;
  /** `HostId` of gateway errors. Default: `'workorder.aliyuncs.com'`. */
  hostId?: string;
}

/** The local `https://workorder.aliyuncs.com/`, version 2016-08-30, as one web-standard handler. */
export interface LegacyWorkOrderEmulator {
  handle(request: Request): Promise<Response>;
  /** The faults in force (a copy). */
  faults(): WorkOrderFaults;
  /** Changes some faults and returns all of them. */
  setFaults(patch: WorkOrderFaultsPatch): WorkOrderFaults;
  getTicket(id: string): WorkOrderTicket | undefined;
  /** Oldest first. */
  listTickets(): WorkOrderTicket[];
  /** Every `dir` handed out by getOSSTempAuthor, oldest first. */
  issuedDirs(): string[];
  /** Forgets tickets, dirs and nonces, and turns every fault off. */
  reset(): void;
}

// docs/work-order-api.md §1: `attachments` holds at most 3 comma-separated object keys.
const MAX_ATTACHMENTS = 3;
// A ticket's text with a few attachments' keys is a few kilobytes; anything far larger is not a ticket.
const MAX_BODY_BYTES = 1024 * 1024;

type BusinessFailure = { ok: false; name: WorkOrderBusinessErrorName; message: string };
type BusinessResult<T> = { ok: true; value: T } | BusinessFailure;

const businessFail = (name: WorkOrderBusinessErrorName, message: string): BusinessFailure => ({ ok: false, name, message });

class GatewayRefusal extends Error {
  constructor(
    readonly code: WorkOrderGatewayErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * pop-core upper-cases the first letter of the action and of every parameter name before it signs
 * (`getOSSTempAuthor` → `GetOSSTempAuthor`, `aliUid` → `AliUid`), unless told not to
 * (docs/work-order-api.md §2). Both spellings are accepted here; the real gateway's case rules are
 * not documented.
 */
function firstLetterUpper(name: string): string {
  return name.slice(0, 1).toUpperCase() + name.slice(1);
}

/** Query and form body together, as the signature covers both (docs/work-order-api.md §2). */
async function readRpcParams(request: Request, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    if (Object.hasOwn(params, name)) throw new GatewayRefusal('InvalidParameter', `Specified parameter ${name} is given more than once.`);
    params[name] = value;
  };
  url.searchParams.forEach((value, name) => add(name, value));
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (request.method === 'POST' && type === 'application/x-www-form-urlencoded') {
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > MAX_BODY_BYTES) throw new GatewayRefusal('RequestTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    const body = await request.text();
    if (Buffer.byteLength(body) > MAX_BODY_BYTES)
      throw new GatewayRefusal('RequestTooLarge', `The request body exceeds ${MAX_BODY_BYTES} bytes.`);
    new URLSearchParams(body).forEach((value, name) => add(name, value));
  }
  return params;
}

/** The action's own parameters by their pop-core spelling (`Content`, `AliUid`, ...). */
function businessParams(params: Readonly<Record<string, string>>): BusinessResult<Map<string, string>> {
  const named = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) {
    const normalized = firstLetterUpper(name);
    if (named.has(normalized)) return businessFail('ILLEGAL_PARAM', `${name} is given twice in different case.`);
    named.set(normalized, value);
  }
  return { ok: true, value: named };
}

function required(params: Map<string, string>, name: string, docName: string): BusinessResult<string> {
  const value = params.get(name);
  if (value === undefined || value.trim() === '')
    return businessFail('ILLEGAL_PARAM_EMPTY', `${docName} is required and must not be empty.`);
  return { ok: true, value };
}

/**
 * The legacy Work Order API behind an emulated RPC gateway: every request is checked like the
 * gateway does (docs/work-order-api.md §2), then `getOSSTempAuthor`, `add` and `QuestionReply` answer
 * in the service's envelope (docs/work-order-api.md §1). Business errors come back with HTTP 200, as
 * pop-core hands them to the caller as ordinary results (docs/work-order-api.md §6).
 */
export function createLegacyWorkOrderEmulator(options: LegacyWorkOrderEmulatorOptions): LegacyWorkOrderEmulator {
  const baseNow = options.now ?? (() => new Date());
  const hostId = options.hostId ?? 'workorder.aliyuncs.com';
  const credentials = new Map(options.credentials.map((credential) => [credential.accessKeyId, { ...credential }]));
  let faults: WorkOrderFaults = { ...DEFAULT_WORK_ORDER_FAULTS };
  const now = (): Date => new Date(baseNow().getTime() + faults.clockOffsetMs);
  const nonces = createSignatureNonceRegistry();
  const tickets = createWorkOrderTicketStore({ now, ...(options.createId === undefined ? {} : { createId: options.createId }) });
  const issuedDirs = new Set<string>();

  const json = (status: number, body: unknown, requestId: string): Response =>
    new Response(JSON.stringify(body), {
      status,
      headers: {
        'Content-Type': 'application/json;charset=utf-8',
        'Cache-Control': 'no-store',
        // The gateway's clock, offset fault included: what a client compares its own clock with.
        Date: now().toUTCString(),
        // pop-core keeps no header but this one is how a business answer can be traced too.
        'x-acs-request-id': requestId,
      },
    });

  const gatewayError = (code: WorkOrderGatewayErrorCode, message: string, requestId: string): Response =>
    json(WORK_ORDER_GATEWAY_ERROR_STATUS[code], buildWorkOrderGatewayErrorBody(code, message, { requestId, hostId }), requestId);

  const succeed = <TData>(data: TData, requestId: string): Response =>
    json(200, { message: 'successful', data, code: '200', success: true } satisfies LegacyWorkOrderEnvelope<TData>, requestId);

  const businessError = ({ name, message }: BusinessFailure, requestId: string): Response =>
    json(
      200,
      { success: false, code: WORK_ORDER_BUSINESS_ERRORS[name], message: `${name}: ${message}` } satisfies LegacyWorkOrderEnvelope<never>,
      requestId,
    );

  const newDir = (): string => {
    // docs/work-order-api.md §1: a `pop_temp<digits>/` prefix per authorization, never handed out twice.
    for (;;) {
      const dir = `pop_temp${randomInt(10_000, 100_000_000)}/`;
      if (!issuedDirs.has(dir)) return dir;
    }
  };

  const getOssTempAuthor = async (requestId: string): Promise<Response> => {
    const dir = newDir();
    const data = await options.issueAuthorization(dir);
    if (data.dir !== dir) throw new Error(`issueAuthorization was asked for dir ${dir} and answered ${data.dir}.`);
    issuedDirs.add(dir);
    return succeed(data, requestId);
  };

  /** `attachments`: at most 3 keys, each an existing object under a dir this service issued. */
  const attachmentKeys = async (params: Map<string, string>): Promise<BusinessResult<string[]>> => {
    const raw = params.get('Attachments');
    if (raw === undefined || raw.trim() === '') return { ok: true, value: [] };
    const keys = raw.split(',').map((key) => key.trim());
    if (keys.length > MAX_ATTACHMENTS)
      return businessFail('ILLEGAL_PARAM', `attachments takes at most ${MAX_ATTACHMENTS} keys, got ${keys.length}.`);
    if (keys.some((key) => key === '')) return businessFail('ILLEGAL_PARAM', 'attachments contains an empty item.');
    if (new Set(keys).size !== keys.length) return businessFail('ILLEGAL_PARAM', 'attachments lists the same key twice.');
    for (const key of keys) {
      const issued = [...issuedDirs].some((dir) => key.startsWith(dir) && key.length > dir.length);
      if (!issued) return businessFail('ILLEGAL_PARAM', `Attachment "${key}" is not under a dir issued by getOSSTempAuthor.`);
      let exists: boolean;
      try {
        exists = await options.objectExists(key);
      } catch {
        return businessFail('SYSTEM_BUSY', 'The attachment store could not be reached; try again later.');
      }
      if (!exists) return businessFail('ILLEGAL_PARAM', `Attachment "${key}" does not exist; upload it first.`);
    }
    return { ok: true, value: keys };
  };

  const add = async (params: Map<string, string>): Promise<BusinessResult<string>> => {
    const content = required(params, 'Content', 'content');
    if (!content.ok) return content;
    const aliUid = required(params, 'AliUid', 'aliUid');
    if (!aliUid.ok) return aliUid;
    const attachments = await attachmentKeys(params);
    if (!attachments.ok) return attachments;
    const ticket = tickets.addTicket({
      aliUid: aliUid.value,
      title: params.get('Title') ?? '',
      content: content.value,
      productId: params.get('ProductId') ?? '',
      attachments: attachments.value,
    });
    // What add answers as data is not documented; the ticket id, as the newer CreateTicket does.
    return { ok: true, value: ticket.id };
  };

  const questionReply = async (params: Map<string, string>): Promise<BusinessResult<string>> => {
    const questionId = required(params, 'QuestionId', 'QuestionId');
    if (!questionId.ok) return questionId;
    const content = params.get('QuestionContent') ?? '';
    const secContent = params.get('QuestionSecContent') ?? '';
    if (content.trim() === '' && secContent.trim() === '') {
      return businessFail('ILLEGAL_PARAM_EMPTY', 'QuestionContent or QuestionSecContent is required.');
    }
    if (tickets.getTicket(questionId.value) === undefined)
      return businessFail('ILLEGAL_PARAM', `Question ${questionId.value} does not exist.`);
    const attachments = await attachmentKeys(params);
    if (!attachments.ok) return attachments;
    const reply = tickets.addReply({ ticketId: questionId.value, content, secContent, attachments: attachments.value });
    if (reply === undefined) return businessFail('ILLEGAL_PARAM', `Question ${questionId.value} does not exist.`);
    return { ok: true, value: reply.id };
  };

  const answer = async (request: Request, requestId: string): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return gatewayError('UnsupportedHTTPMethod', `The HTTP method ${request.method} is not supported; use GET or POST.`, requestId);
    }
    const url = new URL(request.url);
    if (url.pathname !== '/')
      return gatewayError(
        'InvalidAction.NotFound',
        `Specified api is not found, please check your url and method (path ${url.pathname}).`,
        requestId,
      );
    const check = checkRpcGatewayRequest({
      method: request.method,
      params: await readRpcParams(request, url),
      findCredential: (accessKeyId) => credentials.get(accessKeyId),
      nonces,
      now: now(),
      versions: [LEGACY_WORK_ORDER_API_VERSION],
    });
    if (!check.ok) return gatewayError(check.code, check.message, requestId);

    const action = firstLetterUpper(check.params.Action as string);
    if (action !== 'GetOSSTempAuthor' && action !== 'Add' && action !== 'QuestionReply') {
      return gatewayError(
        'InvalidAction.NotFound',
        `Specified api ${check.params.Action} is not found, please check your url and method.`,
        requestId,
      );
    }
    if (faults.illegalAuth > 0) {
      faults = { ...faults, illegalAuth: faults.illegalAuth - 1 };
      return businessError(businessFail('ILLEGAL_AUTH', 'The caller is not allowed to use this operation.'), requestId);
    }
    if (faults.systemBusy > 0) {
      faults = { ...faults, systemBusy: faults.systemBusy - 1 };
      return businessError(businessFail('SYSTEM_BUSY', 'The system is busy; try again later.'), requestId);
    }
    if (action === 'GetOSSTempAuthor') return getOssTempAuthor(requestId);
    const params = businessParams(check.params);
    if (!params.ok) return businessError(params, requestId);
    const result = action === 'Add' ? await add(params.value) : await questionReply(params.value);
    return result.ok ? succeed(result.value, requestId) : businessError(result, requestId);
  };

  return {
    async handle(request) {
      const requestId = randomUUID().toUpperCase();
      try {
        if (faults.latencyMs > 0) await sleep(faults.latencyMs, undefined, { signal: request.signal });
        return await answer(request, requestId);
      } catch (error) {
        if (error instanceof GatewayRefusal) return gatewayError(error.code, error.message, requestId);
        // Includes a client that went away during the latency fault: nobody reads this answer.
        return gatewayError('InternalError', 'The request processing has failed due to some unknown error.', requestId);
      }
    },
    faults: () => ({ ...faults }),
    setFaults(patch) {
      faults = { ...faults, ...patch };
      return { ...faults };
    },
    getTicket: (id) => tickets.getTicket(id),
    listTickets: () => tickets.listTickets(),
    issuedDirs: () => [...issuedDirs],
    reset() {
      tickets.clear();
      issuedDirs.clear();
      nonces.clear();
      faults = { ...DEFAULT_WORK_ORDER_FAULTS };
    },
  };
}
