// Public `ticket-attachment-uploader/server` entry: the getOSSTempAuthor signer only (node:crypto),
// never the emulator or anything that pulls in busboy.
export { buildGetOssTempAuthorEnvelope, createOssTempAuthorization } from './signer/ossPostPolicySigner.js';
export type {
  CreateOssTempAuthorizationOptions,
  GetOssTempAuthorEnvelope,
  OssPolicyCondition,
  OssPostPolicy,
  OssSignatureVersion,
  OssTempAuthorization,
  OssTempAuthorizationV1,
  OssTempAuthorizationV4,
} from './signer/ossPostPolicySigner.js';
