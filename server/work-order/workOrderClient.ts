import { LEGACY_WORK_ORDER_API_VERSION, type WorkOrderOssAuthorization, type WorkOrderSuccessEnvelope } from './legacyWorkOrderEnvelope.js';
import { WorkOrderApiError, workOrderBusinessCodeName } from './workOrderApiError.js';

export interface WorkOrderClientOptions {
  /** Default: `'https://workorder.aliyuncs.com'` (docs/work-order-api.md §1). */
  endpoint?: string;
  /** Default: `'2016-08-30'`, the generation with getOSSTempAuthor, add and QuestionReply. */
  apiVersion?: string;
  accessKeyId: string;
  /** Signs the requests; never sent, never part of an error. */
  accessKeySecret: string;
  /** The STS token, when the AccessKey is a temporary `STS.` one. */
  securityToken?: string;
  /** Connect and read timeout per call, in milliseconds. Default: 10_000 (pop-core's own is 3_000). */
  timeoutMs?: number;
}

/** `add` (docs/work-order-api.md §1): `content` and `aliUid` are required by the service. */
export interface AddTicketParams {
  content: string;
  aliUid: string;
  title?: string;
  productId?: string;
  /** Content only support staff see. */
  secContent?: string;
  phone?: string;
  /** At most 3 object keys from the uploader, as a list or already comma-joined. */
  attachments?: string | readonly string[];
}

/** `QuestionReply` (docs/work-order-api.md §1): `questionId` and one of the two contents. */
export interface QuestionReplyParams {
  questionId: string;
  questionContent?: string;
  questionSecContent?: string;
  attachments?: string | readonly string[];
}

/** The legacy Work Order API through Alibaba's `@alicloud/pop-core`. Every failure is a {@link WorkOrderApiError}. */
export interface WorkOrderClient {
  /** The envelope as the service sent it; `data` is what the browser uploader needs. */
  getOSSTempAuthor(): Promise<WorkOrderSuccessEnvelope<WorkOrderOssAuthorization>>;
  /** Creates a ticket; the envelope as the service sent it. */
  add(params: AddTicketParams): Promise<WorkOrderSuccessEnvelope<unknown>>;
  /** Replies to a ticket; the envelope as the service sent it. */
  questionReply(params: QuestionReplyParams): Promise<WorkOrderSuccessEnvelope<unknown>>;
}

/** What the client uses of pop-core's RPCClient; its bundled typings lack the `verbose` argument. */
interface PopRpcEntry {
  response?: { statusCode?: number; headers?: Record<string, string | string[] | undefined> };
}
interface PopRpcClient {
  request(
    action: string,
    params: Record<string, string>,
    options: { method: 'GET' | 'POST'; timeout: number },
  ): Promise<[unknown, PopRpcEntry]>;
}
type PopRpcClientConstructor = new (
  config: { endpoint: string; apiVersion: string; accessKeyId: string; accessKeySecret: string; securityToken?: string },
  verbose: boolean,
) => PopRpcClient;

const DEFAULT_ENDPOINT = 'https://workorder.aliyuncs.com';
const DEFAULT_TIMEOUT_MS = 10_000;

let popCore: Promise<PopRpcClientConstructor> | undefined;

/**
 * pop-core is an optional peer dependency: the signer alone does not need it, so it is imported on
 * first use and a missing install is reported in words rather than as a resolution error.
 */
function loadPopCore(): Promise<PopRpcClientConstructor> {
  popCore ??= import('@alicloud/pop-core').then(
    (module) => (module as unknown as { default: PopRpcClientConstructor }).default,
    (error: unknown) => {
      popCore = undefined;
      throw new Error("The Work Order client needs Alibaba's SDK: run `npm install @alicloud/pop-core`.", { cause: error });
    },
  );
  return popCore;
}

type RpcParams = Record<string, string>;

/**
 * pop-core signs and sends an `undefined` value as the text "undefined" (docs/work-order-api.md §6),
 * so a parameter is either a string or left out.
 */
function putOptional(params: RpcParams, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${typeof value}.`);
  params[name] = value;
}

function putRequired(params: RpcParams, name: string, value: unknown): void {
  if (typeof value !== 'string') throw new TypeError(`${name} is required and must be a string, got ${typeof value}.`);
  params[name] = value;
}

/** docs/work-order-api.md §1: one comma-separated string of keys, not a list. */
function putAttachments(params: RpcParams, value: string | readonly string[] | undefined): void {
  if (value === undefined || typeof value === 'string') return putOptional(params, 'attachments', value);
  for (const key of value) {
    if (typeof key !== 'string' || key.includes(','))
      throw new TypeError(`Each attachment must be an object key without a comma, got ${JSON.stringify(key)}.`);
  }
  params.attachments = value.join(',');
}

function headerValue(entry: PopRpcEntry | undefined, name: string): string | undefined {
  const value = entry?.response?.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A pop-core throw as one {@link WorkOrderApiError}; pop-core's own message carries the URL, so it is not reused. */
function toApiError(action: string, error: unknown): WorkOrderApiError {
  const thrown = isRecord(error) ? error : {};
  const gateway = isRecord(thrown.data) ? thrown.data : undefined;
  // docs/work-order-api.md §6: pop-core throws for a JSON answer with a capital `Code`, i.e. the gateway's errors.
  if (gateway !== undefined && typeof gateway.Code === 'string') {
    const entry = isRecord(thrown.entry) ? (thrown.entry as PopRpcEntry) : undefined;
    const requestId = textOf(gateway.RequestId) ?? headerValue(entry, 'x-acs-request-id');
    return new WorkOrderApiError(`${action} was refused by the API gateway: ${gateway.Code}: ${String(gateway.Message ?? '')}`, {
      kind: 'gateway',
      code: gateway.Code,
      action,
      ...(requestId === undefined ? {} : { requestId }),
      ...(typeof entry?.response?.statusCode === 'number' ? { httpStatus: entry.response.statusCode } : {}),
      cause: error,
    });
  }
  // httpx names both its connect and its read timeout RequestTimeoutError.
  if (thrown.name === 'RequestTimeoutError') {
    return new WorkOrderApiError(`${action} got no answer in time.`, { kind: 'timeout', code: 'timeout', action, cause: error });
  }
  // json-bigint, pop-core's parser, throws a plain `{ name: 'SyntaxError' }` object, not an Error.
  if (thrown.name === 'SyntaxError') {
    return new WorkOrderApiError(`${action} got an answer that is not JSON.`, {
      kind: 'malformed-response',
      code: 'malformed-response',
      action,
      cause: error,
    });
  }
  const reason = textOf(thrown.code) ?? (error instanceof Error ? error.name : 'unknown error');
  return new WorkOrderApiError(`${action} could not reach the Work Order API (${reason}).`, {
    kind: 'network',
    code: 'network-error',
    action,
    cause: error,
  });
}

/** The envelope when `success` is true; a typed error for `success: false` or anything else. */
function toEnvelope<TData>(action: string, body: unknown, entry: PopRpcEntry | undefined): WorkOrderSuccessEnvelope<TData> {
  const httpStatus = entry?.response?.statusCode;
  const requestId =
    (isRecord(body) ? (textOf(body.RequestId) ?? textOf(body.requestId)) : undefined) ?? headerValue(entry, 'x-acs-request-id');
  const context = {
    action,
    ...(requestId === undefined ? {} : { requestId }),
    ...(typeof httpStatus === 'number' ? { httpStatus } : {}),
  };
  if (isRecord(body) && (body.success === true || body.success === 'true')) return body as unknown as WorkOrderSuccessEnvelope<TData>;
  // docs/work-order-api.md §6: a business error is an ordinary result for pop-core; the caller checks `success`.
  if (isRecord(body) && (body.success === false || body.success === 'false')) {
    const businessCode = Number(body.code);
    const code = Number.isFinite(businessCode) ? workOrderBusinessCodeName(businessCode) : String(body.code);
    throw new WorkOrderApiError(`${action} failed: ${code}: ${String(body.message ?? '')}`, {
      kind: 'business',
      code,
      ...(Number.isFinite(businessCode) ? { businessCode } : {}),
      ...context,
    });
  }
  throw new WorkOrderApiError(`${action} answered neither a success nor an error envelope.`, {
    kind: 'malformed-response',
    code: 'malformed-response',
    ...context,
  });
}

/**
 * A typed client for the legacy Work Order API on top of pop-core's RPCClient, which signs every
 * call with POP RPC signature 1.0 (docs/work-order-api.md §2). The client is created at once and
 * pop-core loaded on the first call.
 */
export function createWorkOrderClient(options: WorkOrderClientOptions): WorkOrderClient {
  const endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(endpoint)) throw new TypeError(`endpoint must start with https:// or http://, got "${endpoint}".`);
  if (typeof options.accessKeyId !== 'string' || options.accessKeyId === '') throw new TypeError('accessKeyId is required.');
  if (typeof options.accessKeySecret !== 'string' || options.accessKeySecret === '') throw new TypeError('accessKeySecret is required.');
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new TypeError(`timeoutMs must be a positive number, got ${timeout}.`);

  let client: Promise<PopRpcClient> | undefined;
  const rpc = (): Promise<PopRpcClient> => {
    client ??= loadPopCore().then((RPCClient) => {
      const config = {
        endpoint,
        apiVersion: options.apiVersion ?? LEGACY_WORK_ORDER_API_VERSION,
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
      };
      // verbose: pop-core then also returns the HTTP status and headers (the RequestId of business answers).
      return new RPCClient(config, true);
    });
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  const call = async <TData>(action: string, params: RpcParams, method: 'GET' | 'POST'): Promise<WorkOrderSuccessEnvelope<TData>> => {
    const rpcClient = await rpc();
    let answer: [unknown, PopRpcEntry];
    try {
      // The action and parameter names are the generated 2016-08-30 client's; pop-core upper-cases
      // their first letter on the wire (docs/work-order-api.md §2).
      answer = await rpcClient.request(action, params, { method, timeout });
    } catch (error) {
      throw toApiError(action, error);
    }
    return toEnvelope<TData>(action, answer[0], answer[1]);
  };

  return {
    getOSSTempAuthor: () => call<WorkOrderOssAuthorization>('getOSSTempAuthor', {}, 'GET'),
    add(params) {
      const rpcParams: RpcParams = {};
      putRequired(rpcParams, 'content', params.content);
      putRequired(rpcParams, 'aliUid', params.aliUid);
      putOptional(rpcParams, 'title', params.title);
      putOptional(rpcParams, 'productId', params.productId);
      putOptional(rpcParams, 'secContent', params.secContent);
      putOptional(rpcParams, 'phone', params.phone);
      putAttachments(rpcParams, params.attachments);
      // POST: a ticket's text can be long, and percent-encoded CJK text triples in size; in a GET
      // it would all go into the URL, which gateways and proxies cap at a few kilobytes. pop-core
      // only moves the parameters into the body for the exact string 'POST' (docs/work-order-api.md §2).
      return call('add', rpcParams, 'POST');
    },
    questionReply(params) {
      const rpcParams: RpcParams = {};
      putRequired(rpcParams, 'QuestionId', params.questionId);
      putOptional(rpcParams, 'QuestionContent', params.questionContent);
      putOptional(rpcParams, 'QuestionSecContent', params.questionSecContent);
      putAttachments(rpcParams, params.attachments);
      return call('QuestionReply', rpcParams, 'POST');
    },
  };
}
