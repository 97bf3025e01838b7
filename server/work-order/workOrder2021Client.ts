import type * as WorkOrderSdk from '@alicloud/workorder20210610';
import { WorkOrderApiError } from './workOrderApiError.js';

/**
 * A typed client of the Work Order API 2021-06-10 on the official `@alicloud/workorder20210610`
 * SDK (an optional peer dependency, loaded on first use). The SDK signs with ACS3-HMAC-SHA256
 * and posts form bodies (docs/work-order-api.md §1, §3, §6); every failure becomes one
 * {@link WorkOrderApiError}.
 */

export interface WorkOrder2021ClientOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token (sent as `x-acs-security-token`). */
  securityToken?: string;
  /** Host (and port) of the API. Default: `workorder.aliyuncs.com`, the SDK's central endpoint. */
  endpoint?: string;
  /** Default: `'https'`; the local stack uses `'http'` on loopback. */
  protocol?: 'https' | 'http';
  /** Default: the SDK's. */
  readTimeoutMs?: number;
  /** Default: the SDK's. */
  connectTimeoutMs?: number;
}

export interface WorkOrder2021UploadUrl {
  /** The key to list in `FileNameList` once the upload succeeded. */
  objectKey: string;
  /** Presigned OSS PUT URL (docs/work-order-api.md §4). */
  putSignedUrl: string;
  /** Presigned OSS GET URL of the same object. */
  getSignedUrl: string;
  requestId: string;
}

export interface WorkOrder2021CreateTicketInput {
  description: string;
  /** Sent as a number; the SDK puts it in the form as text. */
  severity: number;
  categoryId: string;
  title?: string;
  /** ObjectKeys from getAttachmentUploadUrl (at most 3). */
  fileNameList?: readonly string[];
}

export interface WorkOrder2021ReplyTicketInput {
  ticketId: string;
  content: string;
  fileNameList?: readonly string[];
}

export interface WorkOrder2021TicketDetails {
  ticketId: string;
  title: string;
  description: string;
  categoryId: string;
  creatorId: string;
  /** ms since the epoch. */
  createTime: number | undefined;
  severity: { label: string; value: string } | undefined;
  status: { label: string; value: string } | undefined;
}

export interface WorkOrder2021TicketNote {
  dialogId: number | undefined;
  createTime: number | undefined;
  content: string;
  userName: string;
  attachments: Array<{ name: string; url: string }>;
}

export interface WorkOrder2021Client {
  getAttachmentUploadUrl(fileName: string): Promise<WorkOrder2021UploadUrl>;
  createTicket(input: WorkOrder2021CreateTicketInput): Promise<{ ticketId: string; requestId: string }>;
  replyTicket(input: WorkOrder2021ReplyTicketInput): Promise<{ data: string; requestId: string }>;
  getTicket(ticketId: string): Promise<WorkOrder2021TicketDetails & { requestId: string }>;
  listTicketNotes(ticketId: string): Promise<{ notes: WorkOrder2021TicketNote[]; requestId: string }>;
}

/**
 * The SDK's exports object. It is CommonJS with `exports.default = Client`: a bundler-style
 * resolution types the namespace's `default` as the class, node16 ESM types it as the whole
 * exports object (whose `default` is the class). Either way this is the object holding the class.
 */
type SdkModule = (typeof WorkOrderSdk)['default'] extends abstract new (...args: never[]) => unknown
  ? typeof WorkOrderSdk
  : (typeof WorkOrderSdk)['default'];
type SdkClient = InstanceType<SdkModule['default']>;
type SdkModels = Pick<
  SdkModule,
  'GetAttachmentUploadUrlRequest' | 'CreateTicketRequest' | 'ReplyTicketRequest' | 'GetTicketRequest' | 'ListTicketNotesRequest'
>;

/** The envelope every 2021 answer shares, as the SDK maps it (camelCase). */
interface SdkEnvelope {
  code?: number;
  message?: string;
  requestId?: string;
  success?: boolean;
}

/**
 * The SDK is CommonJS with `exports.default = Client`: Node's ESM import gives the exports object
 * as `default` (the class is `default.default`), a bundler may give the class itself.
 */
async function loadSdk(): Promise<{ Client: SdkModule['default']; models: SdkModels }> {
  let loaded: unknown;
  try {
    loaded = await import('@alicloud/workorder20210610');
  } catch (cause) {
    throw new WorkOrderApiError('The Work Order API 2021-06-10 client needs the optional peer dependency @alicloud/workorder20210610.', {
      kind: 'network',
      code: 'sdk-not-installed',
      action: 'load',
      cause,
    });
  }
  const namespace = loaded as { default: unknown };
  const exportsObject = (typeof namespace.default === 'function' ? namespace : namespace.default) as SdkModule;
  return { Client: exportsObject.default, models: exportsObject };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Turns whatever the SDK threw into the one typed error. */
function toWorkOrderApiError(error: unknown, action: string): WorkOrderApiError {
  if (error instanceof WorkOrderApiError) return error;
  const record = isRecord(error) ? error : {};
  const name = typeof record.name === 'string' ? record.name : '';
  const message = error instanceof Error ? error.message : String(error);
  // openapi-core's ClientError / ServerError / ThrottlingError: the gateway answered 4xx/5xx.
  if (typeof record.statusCode === 'number') {
    const data = isRecord(record.data) ? record.data : {};
    const apiMessage = data.Message ?? data.message;
    const requestId = typeof record.requestId === 'string' && record.requestId !== 'undefined' ? record.requestId : undefined;
    return new WorkOrderApiError(typeof apiMessage === 'string' ? apiMessage : message, {
      kind: 'gateway',
      code: typeof record.code === 'string' && record.code !== 'undefined' ? record.code : `http-${record.statusCode}`,
      action,
      ...(requestId === undefined ? {} : { requestId }),
      httpStatus: record.statusCode,
      cause: error,
    });
  }
  if (name === 'RequestTimeoutError' || /timeout/i.test(message)) {
    return new WorkOrderApiError(message, { kind: 'timeout', code: 'timeout', action, cause: error });
  }
  if (typeof record.code === 'string' && /^E[A-Z]+/.test(record.code)) {
    return new WorkOrderApiError(message, { kind: 'network', code: 'network-error', action, cause: error });
  }
  // Not JSON, or a field of the wrong type ("type of data is mismatch", docs/work-order-api.md §6).
  return new WorkOrderApiError(message, { kind: 'malformed-response', code: 'malformed-response', action, cause: error });
}

/** §1: success is `Success: true` with `Code` 0; anything else is a business error (the SDK does not throw). */
function checkEnvelope<T extends SdkEnvelope>(
  body: T | undefined,
  httpStatus: number | undefined,
  action: string,
): T & { requestId: string } {
  if (body === undefined) {
    throw new WorkOrderApiError('The answer had no body.', {
      kind: 'malformed-response',
      code: 'malformed-response',
      action,
      ...(httpStatus === undefined ? {} : { httpStatus }),
    });
  }
  if (body.success !== true || body.code !== 0) {
    throw new WorkOrderApiError(body.message ?? 'The Work Order API refused the request.', {
      kind: 'business',
      code: String(body.code ?? 'unknown'),
      action,
      ...(body.code === undefined ? {} : { businessCode: body.code }),
      ...(body.requestId === undefined ? {} : { requestId: body.requestId }),
      ...(httpStatus === undefined ? {} : { httpStatus }),
    });
  }
  return { ...body, requestId: body.requestId ?? '' };
}

function requireText(value: string | undefined, field: string, action: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new WorkOrderApiError(`The answer has no ${field}.`, { kind: 'malformed-response', code: 'malformed-response', action });
  }
  return value;
}

export function createWorkOrder2021Client(options: WorkOrder2021ClientOptions): WorkOrder2021Client {
  let ready: Promise<{ client: SdkClient; models: SdkModels }> | undefined;

  function sdk(): Promise<{ client: SdkClient; models: SdkModels }> {
    ready ??= loadSdk().then(({ Client, models }) => {
      const config = {
        accessKeyId: options.accessKeyId,
        accessKeySecret: options.accessKeySecret,
        endpoint: options.endpoint ?? 'workorder.aliyuncs.com',
        protocol: options.protocol ?? 'https',
        ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
        ...(options.readTimeoutMs === undefined ? {} : { readTimeout: options.readTimeoutMs }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectTimeout: options.connectTimeoutMs }),
      };
      // The SDK reads plain fields off its Config; a plain object is what its constructor uses.
      return { client: new Client(config as ConstructorParameters<SdkModule['default']>[0]), models };
    });
    // A failed load (SDK missing) is not cached: installing it must not need a restart.
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  }

  async function call<T>(action: string, run: (client: SdkClient, models: SdkModels) => Promise<T>): Promise<T> {
    const { client, models } = await sdk();
    try {
      return await run(client, models);
    } catch (error) {
      throw toWorkOrderApiError(error, action);
    }
  }

  return {
    async getAttachmentUploadUrl(fileName) {
      const response = await call('GetAttachmentUploadUrl', (client, models) =>
        client.getAttachmentUploadUrl(new models.GetAttachmentUploadUrlRequest({ fileName })),
      );
      const body = checkEnvelope(response.body, response.statusCode, 'GetAttachmentUploadUrl');
      const data = body.data;
      return {
        objectKey: requireText(data?.objectKey, 'Data.ObjectKey', 'GetAttachmentUploadUrl'),
        putSignedUrl: requireText(data?.putSignedUrl, 'Data.PutSignedUrl', 'GetAttachmentUploadUrl'),
        getSignedUrl: data?.getSignedUrl ?? '',
        requestId: body.requestId,
      };
    },

    async createTicket(input) {
      const response = await call('CreateTicket', (client, models) =>
        client.createTicket(
          new models.CreateTicketRequest({
            description: input.description,
            severity: input.severity,
            categoryId: input.categoryId,
            ...(input.title === undefined ? {} : { title: input.title }),
            ...(input.fileNameList === undefined || input.fileNameList.length === 0 ? {} : { fileNameList: [...input.fileNameList] }),
          }),
        ),
      );
      const body = checkEnvelope(response.body, response.statusCode, 'CreateTicket');
      return { ticketId: requireText(body.data, 'Data (the ticket id)', 'CreateTicket'), requestId: body.requestId };
    },

    async replyTicket(input) {
      const response = await call('ReplyTicket', (client, models) =>
        client.replyTicket(
          new models.ReplyTicketRequest({
            ticketId: input.ticketId,
            content: input.content,
            ...(input.fileNameList === undefined || input.fileNameList.length === 0 ? {} : { fileNameList: [...input.fileNameList] }),
          }),
        ),
      );
      const body = checkEnvelope(response.body, response.statusCode, 'ReplyTicket');
      return { data: body.data ?? '', requestId: body.requestId };
    },

    async getTicket(ticketId) {
      const response = await call('GetTicket', (client, models) => client.getTicket(new models.GetTicketRequest({ ticketId })));
      const body = checkEnvelope(response.body, response.statusCode, 'GetTicket');
      const data = body.data;
      return {
        ticketId: requireText(data?.ticketId, 'Data.TicketId', 'GetTicket'),
        title: data?.title ?? '',
        description: data?.description ?? '',
        categoryId: data?.categoryId ?? '',
        creatorId: data?.creatorId ?? '',
        createTime: data?.createTime,
        severity: data?.severity === undefined ? undefined : { label: data.severity.label ?? '', value: data.severity.value ?? '' },
        status: data?.status === undefined ? undefined : { label: data.status.label ?? '', value: data.status.value ?? '' },
        requestId: body.requestId,
      };
    },

    async listTicketNotes(ticketId) {
      const response = await call('ListTicketNotes', (client, models) =>
        client.listTicketNotes(new models.ListTicketNotesRequest({ ticketId })),
      );
      const body = checkEnvelope(response.body, response.statusCode, 'ListTicketNotes');
      return {
        notes: (body.data ?? []).map((note) => ({
          dialogId: note.dialogId,
          createTime: note.createTime,
          content: note.dialog?.content ?? '',
          userName: note.user?.name ?? '',
          attachments: (note.attachments ?? []).map((attachment) => ({ name: attachment.name ?? '', url: attachment.url ?? '' })),
        })),
        requestId: body.requestId,
      };
    },
  };
}
