/**
 * Codecs for the messages in this folder: TensorBoard's event format and
 * lensboard's plugin metadata. The .proto files are the single source of truth;
 * they are parsed once at load time and protobufjs builds the codecs from them.
 *
 * Decoded messages use protobufjs's camelCase field names. 64-bit integers may
 * arrive as `Long` objects; `toSafeNumber` is the one place that narrows them.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = new protobuf.Root();
root.loadSync(
  ['tensorboard.proto', 'lensboard.proto'].map((name) =>
    fileURLToPath(new URL(`./${name}`, import.meta.url)),
  ),
  { keepCase: false },
);

export const EventType = root.lookupType('tensorboard.Event');
export const SummaryType = root.lookupType('tensorboard.Summary');
export const SummaryMetadataType = root.lookupType('tensorboard.SummaryMetadata');
export const TensorProtoType = root.lookupType('tensorboard.TensorProto');
export const HistogramProtoType = root.lookupType('tensorboard.HistogramProto');
export const TensorMetadataType = root.lookupType('lensboard.TensorMetadata');

/** A protobufjs int64: a plain number, or a Long when the `long` package is present. */
export type Int64 = number | { toNumber(): number; toString(): string };

export enum DataClass {
  UNKNOWN = 0,
  SCALAR = 1,
  TENSOR = 2,
  BLOB_SEQUENCE = 3,
}

export enum DataType {
  INVALID = 0,
  FLOAT = 1,
  DOUBLE = 2,
  INT32 = 3,
  UINT8 = 4,
  INT16 = 5,
  INT8 = 6,
  STRING = 7,
  INT64 = 9,
  BOOL = 10,
  UINT16 = 17,
  HALF = 19,
  UINT32 = 22,
  UINT64 = 23,
}

export enum SessionStatus {
  UNSPECIFIED = 0,
  START = 1,
  STOP = 2,
  CHECKPOINT = 3,
}

export enum TensorRole {
  UNSPECIFIED = 0,
  ACTIVATION = 1,
  WEIGHT = 2,
  CLASS_TEMPLATE = 3,
  GRADIENT = 4,
  PROBE_INPUT = 5,
  CHANNEL_STATS = 6,
  TOP_PROBES = 7,
  OTHER = 8,
}

export interface PluginData {
  pluginName?: string;
  content?: Uint8Array;
}

export interface SummaryMetadata {
  pluginData?: PluginData | null;
  displayName?: string;
  summaryDescription?: string;
  dataClass?: DataClass;
}

export interface TensorShape {
  dim?: { size?: Int64; name?: string }[];
  unknownRank?: boolean;
}

export interface TensorProto {
  dtype?: DataType;
  tensorShape?: TensorShape | null;
  versionNumber?: number;
  tensorContent?: Uint8Array;
  halfVal?: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: Int64[];
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: Int64[];
}

export interface HistogramProto {
  min?: number;
  max?: number;
  num?: number;
  sum?: number;
  sumSquares?: number;
  bucketLimit?: number[];
  bucket?: number[];
}

export interface LegacyImage {
  height?: number;
  width?: number;
  colorspace?: number;
  encodedImageString?: Uint8Array;
}

export interface SummaryValue {
  nodeName?: string;
  tag?: string;
  metadata?: SummaryMetadata | null;
  simpleValue?: number;
  image?: LegacyImage | null;
  histo?: HistogramProto | null;
  audio?: unknown;
  tensor?: TensorProto | null;
  /** Which member of the `value` oneof is set, if any. */
  value?: 'simpleValue' | 'obsoleteOldStyleHistogram' | 'image' | 'histo' | 'audio' | 'tensor';
}

export interface Summary {
  value?: SummaryValue[];
}

export interface SessionLog {
  status?: SessionStatus;
  checkpointPath?: string;
  msg?: string;
}

export interface Event {
  wallTime?: number;
  step?: Int64;
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: Summary | null;
  sessionLog?: SessionLog | null;
  taggedRunMetadata?: { tag?: string; runMetadata?: Uint8Array } | null;
  metaGraphDef?: Uint8Array;
  sourceMetadata?: { writer?: string } | null;
  /** Which member of the `what` oneof is set, if any. */
  what?:
    'fileVersion' | 'graphDef' | 'summary' | 'sessionLog' | 'taggedRunMetadata' | 'metaGraphDef';
}

export interface TensorMetadata {
  version?: number;
  role?: TensorRole;
  layerName?: string;
  layerKind?: string;
  shape?: Int64[];
  probeIds?: number[];
  probeLabels?: number[];
  workerRank?: number;
  worldSize?: number;
  weightName?: string;
  statNames?: string[];
  activation?: string;
  probePredictions?: number[];
  /** The class each unit stands for; empty means unit i is class i. */
  unitLabels?: string[];
}

/** The version of TensorMetadata this code writes; readers accept any version up to it. */
export const TENSOR_METADATA_VERSION = 1;

/** The plugin name under which lensboard's raw tensors are written. */
export const LENSBOARD_PLUGIN_NAME = 'lensboard';

/**
 * Narrows an int64 to a JavaScript number. Steps beyond 2^53 cannot be
 * represented exactly; they are rare enough (no known writer emits them) that
 * a rounded value is preferred over refusing the event.
 */
export function toSafeNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function encodeEvent(event: Event): Uint8Array {
  return EventType.encode(EventType.fromObject(event as Record<string, unknown>)).finish();
}

/** Decodes one Event; throws protobufjs's error on malformed bytes. */
export function decodeEvent(bytes: Uint8Array): Event {
  return EventType.decode(bytes) as unknown as Event;
}

export function encodeTensorMetadata(metadata: TensorMetadata): Uint8Array {
  const message = TensorMetadataType.fromObject({
    version: TENSOR_METADATA_VERSION,
    ...metadata,
  } as Record<string, unknown>);
  return TensorMetadataType.encode(message).finish();
}

export function decodeTensorMetadata(bytes: Uint8Array): TensorMetadata {
  return TensorMetadataType.toObject(TensorMetadataType.decode(bytes), {
    longs: Number,
    enums: Number,
    arrays: true,
    defaults: true,
  }) as TensorMetadata;
}
