// Public `ticket-attachment-uploader/server` entry: the getOSSTempAuthor signer only (node:crypto),
// never the emulator or anything that pulls in busboy. test/server/index.test.ts pins this list.
export { buildGetOssTempAuthorEnvelope, createOssTempAuthorization } from './signer/ossPostPolicySigner.js';
export type {
  CreateOssTempAuthorizationOptions,
  GetOssTempAuthorEnvelope,
  OssSignatureVersion,
  OssTempAuthorization,
  OssTempAuthorizationV1,
  OssTempAuthorizationV4,
  PostPolicyCondition,
  PostPolicyDocument,
} from './signer/ossPostPolicySigner.js';
