// PLACEHOLDER on the shrink-ui branch: the engine branch replaces this whole file with the real
// decoder/encoder (take the engine branch's version at merge). It only exists so that
// `loadImageShrinker` has a chunk to load. It rejects with a plain Error, which the queue reports as
// `image-not-decodable`: importing UploadError here would move that class into a chunk shared with
// the main bundle and blur the bundle-size measurement of the UI.
import type { ShrinkImage } from './ShrinkImage.js';

export const shrinkImageToFit: ShrinkImage = () => Promise.reject(new Error('not built yet'));
