// PLACEHOLDER on the shrink-ui branch: the engine branch replaces this whole file with the real
// decoder/encoder (take the engine branch's version at merge). It only exists so that
// `loadImageShrinker` has a chunk to load and the UI can be built and tested against the contract.
import type { ShrinkImage } from './ShrinkImage.js';
import { UploadError, UploadErrorCode } from './UploadError.js';

export const shrinkImageToFit: ShrinkImage = () => Promise.reject(new UploadError(UploadErrorCode.ImageNotDecodable, 'not built yet'));
