import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as serverEntry from '../../server/index';

// The published `ticket-attachment-uploader/server` entry. Both lists are pinned on purpose: adding,
// renaming or removing an export is a change to the package's public API and must show up here.
const RUNTIME_EXPORTS = [
  'DEFAULT_ATTACHMENT_CONTENT_TYPE',
  'DEFAULT_RELAY_MAX_BYTES',
  'LEGACY_WORK_ORDER_API_VERSION',
  'MAX_ATTACHMENT_FILE_NAME_LENGTH',
  'WORK_ORDER_BUSINESS_ERRORS',
  'WorkOrderApiError',
  'buildGetOssTempAuthorEnvelope',
  'createAttachmentUploadRelayHandler',
  'createAttachmentUploadUrlHandler',
  'createGetOssTempAuthorHandler',
  'createOssTempAuthorization',
  'createWorkOrder2021Client',
  'createWorkOrderClient',
  'toNodeHandler',
  'validateAttachmentFileName',
];
const TYPE_EXPORTS = [
  'AddTicketParams',
  'AttachmentUploadRelayAnswer',
  'AttachmentUploadRelayErrorAnswer',
  'AttachmentUploadRelayHandlerOptions',
  'AttachmentUploadUrlAnswer',
  'AttachmentUploadUrlErrorAnswer',
  'AttachmentUploadUrlHandlerOptions',
  'CreateOssTempAuthorizationOptions',
  'GetOssTempAuthorEnvelope',
  'GetOssTempAuthorErrorBody',
  'GetOssTempAuthorHandlerOptions',
  'LegacyWorkOrderEnvelope',
  'NodeRequestHandler',
  'OssSignatureVersion',
  'OssTempAuthorization',
  'OssTempAuthorizationV1',
  'OssTempAuthorizationV4',
  'PostPolicyCondition',
  'PostPolicyDocument',
  'QuestionReplyParams',
  'ToNodeHandlerOptions',
  'WebRequestHandler',
  'WorkOrder2021Client',
  'WorkOrder2021ClientOptions',
  'WorkOrder2021CreateTicketInput',
  'WorkOrder2021ReplyTicketInput',
  'WorkOrder2021TicketDetails',
  'WorkOrder2021TicketNote',
  'WorkOrder2021UploadUrl',
  'WorkOrderApiErrorDetails',
  'WorkOrderApiErrorKind',
  'WorkOrderBusinessErrorName',
  'WorkOrderClient',
  'WorkOrderClientOptions',
  'WorkOrderFailureEnvelope',
  'WorkOrderOssAuthorization',
  'WorkOrderSuccessEnvelope',
];

const entryPath = fileURLToPath(new URL('../../server/index.ts', import.meta.url));

/** What the TypeScript compiler sees exported, resolving the entry as a node16 ESM consumer would. */
function compileEntry(): { values: string[]; types: string[]; diagnostics: string[] } {
  const program = ts.createProgram([entryPath], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entryPath) as ts.SourceFile) as ts.Symbol;
  const values: string[] = [];
  const types: string[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
  }
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return { values: values.sort(), types: types.sort(), diagnostics };
}

describe('the ticket-attachment-uploader/server entry', () => {
  it('exports exactly the signer and the Work Order clients and handlers of both API versions at runtime', () => {
    expect(Object.keys(serverEntry).sort()).toEqual(RUNTIME_EXPORTS);
  });

  it('exports exactly these types, and compiles for a node16 ESM consumer (.js extensions)', () => {
    const { values, types, diagnostics } = compileEntry();
    expect(diagnostics).toEqual([]);
    expect(values).toEqual(RUNTIME_EXPORTS);
    expect(types).toEqual(TYPE_EXPORTS);
  });

  it('pulls in nothing but node:crypto (no emulator, no busboy)', async () => {
    const signerSource = await readFile(new URL('../../server/signer/ossPostPolicySigner.ts', import.meta.url), 'utf8');
    const imports = [...signerSource.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(imports).toEqual(['node:crypto']);
  });
});
