/**
 * The image summary: TensorBoard's `images` plugin form, a rank-1 STRING
 * tensor `[width, height, png, png, ...]` with width and height as decimal
 * strings, width first. All images of one value share one size.
 */
import { DataClass, DataType } from '../../proto/index.js';
import { describe } from '../arguments.js';
import {
  checkScaling,
  encodePng,
  pixelsToUint8,
  type Channels,
  type PixelScaling,
  type RawImage,
} from '../png.js';
import { pluginMetadata, tensorShape, type DescribedOptions, type SummaryPart } from './common.js';

/** An image as raw pixels, or as PNG bytes already encoded. */
export type ImageInput = RawImage | EncodedImage;

export interface EncodedImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export interface ImageOptions extends DescribedOptions {
  /** How float pixels become bytes; see `pixelsToUint8`. Default "auto". */
  scaling?: PixelScaling;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const encoder = new TextEncoder();

export function imageSummary(images: unknown, options: ImageOptions = {}): SummaryPart {
  const list = Array.isArray(images) ? images : [images];
  if (list.length === 0) throw new RangeError('invalid images: [] (want at least one image)');
  const scaling = checkScaling(options.scaling);
  const pngs = list.map((image, index) => toPng(image, index, scaling));
  const { width, height } = list[0] as ImageInput;
  list.forEach((image: ImageInput, index) => {
    if (image.width !== width || image.height !== height) {
      throw new RangeError(
        `invalid images[${index}]: ${image.width}x${image.height}, ` +
          `want ${width}x${height} like images[0]`,
      );
    }
  });
  const stringVal = [encoder.encode(String(width)), encoder.encode(String(height)), ...pngs];
  return {
    tensor: { dtype: DataType.STRING, tensorShape: tensorShape([stringVal.length]), stringVal },
    metadata: pluginMetadata('images', DataClass.BLOB_SEQUENCE, options),
  };
}

function toPng(image: unknown, index: number, scaling: PixelScaling | undefined): Uint8Array {
  if (typeof image !== 'object' || image === null) {
    throw new TypeError(`invalid images[${index}]: ${describe(image)} (want pixels or a PNG)`);
  }
  const { width, height } = image as ImageInput;
  checkSize(width, 'width', index);
  checkSize(height, 'height', index);
  if ('png' in image) return checkedPng(image as EncodedImage, index);
  const raw = checkedPixels(image as RawImage, index);
  return encodePng({ ...raw, data: pixelsToUint8(raw.data, raw.channels, scaling) });
}

function checkSize(size: unknown, name: string, index: number): void {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(
      `invalid images[${index}].${name}: ${describe(size)} (want an integer >= 1)`,
    );
  }
}

function checkedPixels(image: RawImage, index: number): RawImage {
  const { data, width, height, channels } = image;
  if (![1, 2, 3, 4].includes(channels)) {
    throw new RangeError(
      `invalid images[${index}].channels: ${describe(channels)} ` +
        '(want 1, 2, 3 or 4: grey, grey+alpha, RGB or RGBA)',
    );
  }
  const isPixelArray =
    data instanceof Uint8Array ||
    data instanceof Uint8ClampedArray ||
    data instanceof Float32Array ||
    data instanceof Float64Array;
  if (!isPixelArray) {
    throw new TypeError(
      `invalid images[${index}].data: ${describe(data)} ` +
        '(want Uint8Array, Uint8ClampedArray, Float32Array or Float64Array)',
    );
  }
  const want = width * height * channels;
  if (data.length !== want) {
    throw new RangeError(
      `invalid images[${index}].data: got ${data.length} values, ` +
        `want ${want} (${width}x${height}x${channels as Channels})`,
    );
  }
  return image;
}

/** The PNG's own header must agree with the size given for it: a viewer trusts the tensor. */
function checkedPng(image: EncodedImage, index: number): Uint8Array {
  const { png, width, height } = image;
  const isPng =
    png instanceof Uint8Array && png.length >= 24 && PNG_SIGNATURE.every((b, i) => png[i] === b);
  if (!isPng) {
    throw new TypeError(`invalid images[${index}].png: ${describe(png)} (not PNG bytes)`);
  }
  const header = new DataView(png.buffer, png.byteOffset + 16, 8);
  const pngWidth = header.getUint32(0);
  const pngHeight = header.getUint32(4);
  if (pngWidth !== width || pngHeight !== height) {
    throw new RangeError(
      `invalid images[${index}]: PNG is ${pngWidth}x${pngHeight}, but ${width}x${height} was given`,
    );
  }
  return png;
}
