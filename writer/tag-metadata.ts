/**
 * Which plugin metadata each tag has in the event file, so that a value
 * carries its tag's metadata only when the file does not have it yet: with
 * the tag's first value, and with any value whose metadata differs from the
 * last one stated (see SummaryWriter).
 *
 * Deciding and recording are two steps. A statement counts only once the
 * value carrying it is queued: a call that fails after the decision (an
 * encoding error, a closed writer) states nothing, so the tag's next value
 * still carries its metadata and no tag is ever left without it.
 */
import { Buffer } from 'node:buffer';
import type { SummaryMetadata } from '../proto/index.js';

/** Metadata stated for a tag, with its encoded key, and the event that carried it. */
export interface Statement {
  tag: string;
  metadata: SummaryMetadata;
  key: string;
  /** The sequence number of the event carrying it; -1 until it is queued. */
  seq: number;
}

export class TagMetadataLedger {
  /** Per tag, the statement of the last queued value that carried metadata. */
  private readonly last = new Map<string, Statement>();

  /** The statement a value of `tag` must carry, or undefined when the file has it already. */
  toWrite(tag: string, metadata: SummaryMetadata): Statement | undefined {
    const last = this.last.get(tag);
    if (last?.metadata === metadata) return undefined;
    const key = metadataKey(metadata);
    if (last?.key !== key) return { tag, metadata, key, seq: -1 };
    // Equal bytes under another object: compare by identity from now on, the cheap path.
    last.metadata = metadata;
    return undefined;
  }

  /** Records that the value carrying `statement` was queued as event `seq` (-1: dropped). */
  stated(statement: Statement, seq: number): void {
    if (seq < 0) return;
    statement.seq = seq;
    this.last.set(statement.tag, statement);
  }
}

/** Two metadata with equal keys encode to the same bytes. */
function metadataKey(metadata: SummaryMetadata): string {
  const content = metadata.pluginData?.content;
  return [
    metadata.pluginData?.pluginName ?? '',
    metadata.dataClass ?? 0,
    metadata.displayName ?? '',
    metadata.summaryDescription ?? '',
    content
      ? Buffer.from(content.buffer, content.byteOffset, content.length).toString('base64')
      : '',
  ].join('\u0000');
}
