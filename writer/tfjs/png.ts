/**
 * Encodes the adapter's RGB grids as PNG: with tfjs-node's native encoder when
 * tfjs-node is loaded, else with the writer's own pngjs-based `encodePng`.
 */
import { encodePng } from '../png.js';
import { nativeImageCodec, tf } from './backend.js';
import type { RgbImage } from './grids.js';
import type { EncodedImage } from './sink.js';

export async function encodeRgbPng(image: RgbImage): Promise<EncodedImage> {
  const { width, height } = image;
  if (!nativeImageCodec) return { png: encodePng(image), width, height };
  const pixels = tf.tensor3d(image.data, [height, width, image.channels], 'int32');
  try {
    return { png: await nativeImageCodec.encodePng(pixels), width, height };
  } finally {
    pixels.dispose();
  }
}
