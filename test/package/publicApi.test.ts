import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as sourceEntry from '../../src/index';

// The public surface of `ticket-attachment-uploader`, pinned: README "API" documents exactly these
// names. Adding or dropping an export must change this list (and the README) on purpose.
const RUNTIME_EXPORTS = [
  'MAX_TICKET_ATTACHMENTS',
  'TicketAttachmentUploader',
  'UploadError',
  'UploadErrorCode',
  'attachmentQueryKeys',
  'describeUploadError',
  'formatFileSize',
  'isUploadError',
  'ossAuthorizationQueryOptions',
  'parseAttachmentUploadUrl',
  'parseOssAuthorization',
  'postObject',
  'putObject',
  'relayPutObject',
  'resolveMessages',
  'selectFilePercent',
  'toAttachmentsParam',
  'toFileNameList',
  'uploaderMessages',
  'useTicketAttachmentUpload',
];

/** Names exported as types only (`UploadErrorCode` is both a value and a type, and listed above). */
const TYPE_EXPORTS = [
  'AcceptMap',
  'AttachmentUploadUrl',
  'AttachmentUploadUrlData',
  'AttachmentUploadUrlEnvelope',
  'AuthorizationStatus',
  'FetchAuthorization',
  'FetchAuthorizationResult',
  'FetchUploadUrl',
  'FetchUploadUrlResult',
  'FileRejection',
  'FileUpload',
  'FileUploadStatus',
  'OssAuthorization',
  'OssAuthorizationQueryOptions',
  'OssTempAuthorData',
  'OssTempAuthorEnvelope',
  'PostObjectRequest',
  'PostObjectResult',
  'PostPolicyModeOptions',
  'PresignedPutModeOptions',
  'PutObjectRequest',
  'PutObjectResult',
  'RelayPutObjectRequest',
  'ShrinkImage',
  'ShrinkImageOptions',
  'ShrinkImagesMode',
  'ShrunkImage',
  'TicketAttachmentUploaderProps',
  'UploadRelayModeOptions',
  'UploadTotals',
  'UploaderLocale',
  'UploaderMessages',
  'UploaderMessagesOverrides',
  'UseTicketAttachmentUploadOptions',
  'UseTicketAttachmentUploadResult',
];

const sorted = (names: Iterable<string>) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const distDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

/** Every name `dist/index.d.ts` exports, read by the TypeScript checker (re-exports followed). */
function declaredExports(): { values: string[]; typesOnly: string[] } {
  const entry = path.join(distDir, 'index.d.ts');
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
  const values: string[] = [];
  const typesOnly: string[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : typesOnly).push(symbol.name);
  }
  return { values: sorted(values), typesOnly: sorted(typesOnly) };
}

describe('public API of the browser entry', () => {
  it('exports exactly the documented runtime names from src/index.ts', () => {
    expect(sorted(Object.keys(sourceEntry))).toEqual(RUNTIME_EXPORTS);
  });

  it('ships the same runtime names in dist/index.js', async () => {
    const built = (await import(/* @vite-ignore */ path.join(distDir, 'index.js'))) as Record<string, unknown>;
    expect(sorted(Object.keys(built))).toEqual(RUNTIME_EXPORTS);
  });

  it('declares exactly the documented values and types in dist/index.d.ts', () => {
    expect(declaredExports()).toEqual({ values: RUNTIME_EXPORTS, typesOnly: TYPE_EXPORTS });
  }, 60_000); // a TypeScript program over the declarations and React's types: seconds on a busy machine
});
