/**
 * One `Summary.Value` plus the metadata remembered for its tag → a typed
 * datum. Legacy fields (`simple_value`, `Summary.Image`, `HistogramProto`)
 * migrate to the plugin form the way TensorBoard's data_compat does, and
 * graph events become the `graphs` plugin's `__run_graph__` tag, so a reader
 * sees one shape whatever tool wrote the file.
 */
import {
  DataClass,
  DataType,
  LENSBOARD_PLUGIN_NAME,
  type Event,
  type HistogramProto,
  type LegacyImage,
  type SummaryMetadata,
  type SummaryValue,
  type TensorProto,
} from '../proto/index.js';
import type { TagKind } from './model.js';
import { decodeStrings, decodeTensor, dtypeName, tensorShape } from './values.js';

/** Where one blob (an encoded image) sits inside the record payload it came from. */
export interface BlobSpan {
  offset: number;
  length: number;
}

export type Datum =
  | { kind: 'scalars'; value: number }
  | { kind: 'images'; width: number; height: number; blobs: BlobSpan[] }
  | { kind: 'histograms'; buckets: [number, number, number][] }
  | { kind: 'text'; shape: number[]; values: string[] }
  | { kind: 'tensors' | 'other'; dtype: string; shape: number[] };

/** A value that cannot become the datum its plugin promises; the caller skips it. */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

export const RUN_GRAPH_TAG = '__run_graph__';

/** The `content` TensorBoard's image plugin writes for converted legacy images. */
const CONVERTED_IMAGE_CONTENT = Uint8Array.of(0x10, 0x01);

const KIND_BY_PLUGIN: Record<string, TagKind> = {
  scalars: 'scalars',
  images: 'images',
  histograms: 'histograms',
  text: 'text',
  [LENSBOARD_PLUGIN_NAME]: 'tensors',
};

export function kindOfPlugin(pluginName: string): TagKind {
  return KIND_BY_PLUGIN[pluginName] ?? 'other';
}

/**
 * Rewrites a legacy value into its plugin form; plugin values pass through.
 * A value with hparams metadata and no payload gets TensorBoard's empty
 * float32 tensor of shape [0]. Returns null for a value that carries nothing.
 */
export function migrateValue(value: SummaryValue): SummaryValue | null {
  if (value.simpleValue !== undefined && value.value === 'simpleValue') {
    return migrateScalar(value);
  }
  if (value.image) return migrateImage(value, value.image);
  if (value.histo) return migrateHistogram(value, value.histo);
  if (value.tensor) return value;
  if (value.metadata?.pluginData?.pluginName === 'hparams') {
    return { ...value, tensor: { dtype: DataType.FLOAT, tensorShape: { dim: [{ size: 0 }] } } };
  }
  return null;
}

function legacyMetadata(value: SummaryValue, pluginName: string, dataClass: DataClass) {
  const content = pluginName === 'images' ? CONVERTED_IMAGE_CONTENT : new Uint8Array(0);
  return {
    pluginData: { pluginName, content },
    displayName: value.metadata?.displayName || value.tag,
    summaryDescription: value.metadata?.summaryDescription ?? '',
    dataClass,
  };
}

function migrateScalar(value: SummaryValue): SummaryValue {
  return {
    tag: value.tag,
    metadata: legacyMetadata(value, 'scalars', DataClass.SCALAR),
    tensor: { dtype: DataType.FLOAT, tensorShape: {}, floatVal: [value.simpleValue ?? 0] },
  };
}

function migrateImage(value: SummaryValue, image: LegacyImage): SummaryValue {
  const encoder = new TextEncoder();
  const stringVal = [
    encoder.encode(String(image.width ?? 0)),
    encoder.encode(String(image.height ?? 0)),
    image.encodedImageString ?? new Uint8Array(0),
  ];
  return {
    tag: value.tag,
    metadata: legacyMetadata(value, 'images', DataClass.BLOB_SEQUENCE),
    tensor: { dtype: DataType.STRING, tensorShape: { dim: [{ size: 3 }] }, stringVal },
  };
}

/**
 * Empty buckets at both ends are dropped; `min` and `max` become the outer
 * edges of what remains, and the stored values are float32 as TensorBoard's
 * migration produces them.
 */
function migrateHistogram(value: SummaryValue, histo: HistogramProto): SummaryValue {
  const counts = histo.bucket ?? [];
  const limits = histo.bucketLimit ?? [];
  const start = counts.findIndex((count) => count > 0);
  let end = counts.length - 1;
  while (end >= 0 && !(counts[end] > 0)) end--;
  const floatVal: number[] = [];
  if (start >= 0) {
    const inner = limits.slice(start, end);
    const lefts = [histo.min ?? 0, ...inner];
    const rights = [...inner, histo.max ?? 0];
    for (let i = 0; i <= end - start; i++) floatVal.push(lefts[i], rights[i], counts[start + i]);
  }
  const rows = floatVal.length / 3;
  return {
    tag: value.tag,
    metadata: legacyMetadata(value, 'histograms', DataClass.TENSOR),
    tensor: {
      dtype: DataType.FLOAT,
      tensorShape: { dim: [{ size: rows }, { size: 3 }] },
      floatVal: floatVal.map(Math.fround),
    },
  };
}

/**
 * Graph events carry no summary; TensorBoard shows them as a one-element
 * string tensor under the `graphs` plugin (and tagged run metadata under
 * `graph_tagged_run_metadata`). Returns null for every other event.
 */
export function graphValue(event: Event): SummaryValue | null {
  if (event.graphDef && event.what === 'graphDef') {
    return blobValue(RUN_GRAPH_TAG, 'graphs', event.graphDef);
  }
  const tagged = event.taggedRunMetadata;
  if (tagged && event.what === 'taggedRunMetadata') {
    const bytes = tagged.runMetadata ?? new Uint8Array(0);
    return blobValue(tagged.tag ?? '', 'graph_tagged_run_metadata', bytes);
  }
  return null;
}

function blobValue(tag: string, pluginName: string, bytes: Uint8Array): SummaryValue {
  return {
    tag,
    metadata: { pluginData: { pluginName }, dataClass: DataClass.BLOB_SEQUENCE },
    tensor: { dtype: DataType.STRING, tensorShape: { dim: [{ size: 1 }] }, stringVal: [bytes] },
  };
}

/**
 * The datum of a migrated value. `metadata` is the tag's remembered metadata
 * (the first seen), which decides the kind even when this value has none.
 * `payload` is the record the value was decoded from: image spans are
 * measured from its first byte. Throws ValueError for contents that do not
 * fit the kind.
 */
export function toDatum(
  tensor: TensorProto,
  metadata: SummaryMetadata | null | undefined,
  payload: Uint8Array,
): Datum {
  const kind = kindOfPlugin(metadata?.pluginData?.pluginName ?? '');
  try {
    switch (kind) {
      case 'scalars':
        return scalarDatum(tensor);
      case 'images':
        return imageDatum(tensor, payload);
      case 'histograms':
        return histogramDatum(tensor);
      case 'text':
        return textDatum(tensor);
      default:
        return { kind, ...describeTensor(tensor, metadata) };
    }
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw new ValueError((error as Error).message);
  }
}

function scalarDatum(tensor: TensorProto): Datum {
  const decoded = decodeTensor(tensor);
  if (decoded.kind !== 'numeric' || decoded.values.length !== 1) {
    throw new ValueError(
      `invalid scalar: got a ${decoded.dtype} tensor of shape [${decoded.shape}], want one number`,
    );
  }
  return { kind: 'scalars', value: decoded.values[0] };
}

function imageDatum(tensor: TensorProto, payload: Uint8Array): Datum {
  const decoded = decodeTensor(tensor);
  if (decoded.kind !== 'string' || decoded.values.length < 2) {
    throw new ValueError(
      `invalid image tensor: got ${decoded.dtype} of shape [${decoded.shape}], ` +
        'want strings [width, height, image...]',
    );
  }
  const [width, height] = decodeStrings(decoded.values.slice(0, 2)).map(Number);
  const blobs = decoded.values.slice(2).map((blob) => spanIn(payload, blob));
  return { kind: 'images', width, height, blobs };
}

/**
 * Blobs decoded from a record are views into it; a span of -1 marks a blob
 * that was built in memory (a migrated legacy image has its bytes elsewhere
 * in the same record, so it is still a view).
 */
function spanIn(payload: Uint8Array, blob: Uint8Array): BlobSpan {
  const offset = blob.byteOffset - payload.byteOffset;
  const inside =
    blob.buffer === payload.buffer && offset >= 0 && offset + blob.length <= payload.length;
  return { offset: inside ? offset : -1, length: blob.length };
}

function histogramDatum(tensor: TensorProto): Datum {
  const decoded = decodeTensor(tensor);
  const [rows, columns] = decoded.shape;
  if (decoded.kind !== 'numeric' || decoded.shape.length !== 2 || columns !== 3) {
    throw new ValueError(
      `invalid histogram tensor: got ${decoded.dtype} of shape [${decoded.shape}], want [k, 3]`,
    );
  }
  const buckets: [number, number, number][] = [];
  const v = decoded.values;
  for (let i = 0; i < rows; i++) buckets.push([v[3 * i], v[3 * i + 1], v[3 * i + 2]]);
  return { kind: 'histograms', buckets };
}

function textDatum(tensor: TensorProto): Datum {
  const decoded = decodeTensor(tensor);
  if (decoded.kind !== 'string') {
    throw new ValueError(`invalid text tensor: got dtype ${decoded.dtype}, want string`);
  }
  return { kind: 'text', shape: decoded.shape, values: decodeStrings(decoded.values) };
}

/**
 * The graphs plugin's blobs are sequences: TensorBoard reads a rank-0 string
 * written by its sub-plugins as a sequence of one.
 */
const GRAPH_PLUGINS = new Set([
  'graphs',
  'graph_run_metadata',
  'graph_run_metadata_graph',
  'graph_keras_model',
  'graph_tagged_run_metadata',
]);

/** dtype and shape without decoding the values: raw tensors are read on request. */
function describeTensor(
  tensor: TensorProto,
  metadata: SummaryMetadata | null | undefined,
): { dtype: string; shape: number[] } {
  const shape = tensorShape(tensor);
  const blobs = GRAPH_PLUGINS.has(metadata?.pluginData?.pluginName ?? '');
  return { dtype: dtypeName(tensor.dtype), shape: blobs && shape.length === 0 ? [1] : shape };
}
