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
 *
 * When the event file is deleted under the writer, the records not yet seen
 * in it move to a new file (see EventFileWriter). A moved value that relied on
 * metadata stated earlier in the deleted file gets that metadata restated, so
 * the new file too has every tag's metadata with the tag's first value in it.
 * Knowing which metadata was in force at a moved value takes the statements
 * that may still move, kept by sequence number until their records are seen
 * in place.
 */
import { Buffer } from 'node:buffer';
import { decodeEvent, EventType, type SummaryMetadata } from '../proto/index.js';
import type { CarryOver } from './event-file-writer.js';

/** Metadata stated for a tag, with its encoded key, and the event that carried it. */
export interface Statement {
  tag: string;
  metadata: SummaryMetadata;
  key: string;
  /** The sequence number of the event carrying it; -1 until it is queued. */
  seq: number;
}

/** The statements of one event file. */
class FileStatements {
  /** Per tag, the statement of the last queued value that carried metadata. */
  readonly last = new Map<string, Statement>();
  /** Per tag, its last statement numbered below the `settle()` bound: in force for all after. */
  private readonly settled = new Map<string, Statement>();
  /** Statements at or above the bound, in sequence order from `pendingFrom`. */
  private pending: Statement[] = [];
  private pendingFrom = 0;

  record(statement: Statement): void {
    this.last.set(statement.tag, statement);
    this.pending.push(statement);
  }

  /** Folds the statements numbered below `seq` into `settled`: their records never move. */
  settle(seq: number): void {
    while (this.pendingFrom < this.pending.length && this.pending[this.pendingFrom].seq < seq) {
      const statement = this.pending[this.pendingFrom++];
      this.settled.set(statement.tag, statement);
    }
    if (this.pendingFrom > 1024 && this.pendingFrom * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingFrom);
      this.pendingFrom = 0;
    }
  }

  /** The statement in force for `tag` at event `seq`: its last one numbered below. */
  inForceAt(tag: string, seq: number): Statement | undefined {
    for (let at = this.pending.length - 1; at >= this.pendingFrom; at--) {
      const statement = this.pending[at];
      if (statement.tag === tag && statement.seq < seq) return statement;
    }
    return this.settled.get(tag);
  }
}

export class TagMetadataLedger implements CarryOver {
  private current = new FileStatements();
  /** The deleted file's statements, while records moving from it are restated. */
  private previous: FileStatements | null = null;

  /** The statement a value of `tag` must carry, or undefined when the file has it already. */
  toWrite(tag: string, metadata: SummaryMetadata): Statement | undefined {
    const last = this.current.last.get(tag);
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
    this.current.record(statement);
  }

  settledBelow(seq: number): void {
    this.current.settle(seq);
    this.previous = null;
  }

  startFile(): void {
    this.previous = this.current;
    this.current = new FileStatements();
  }

  /**
   * Gives each value of the event the metadata in force for it in the deleted
   * file, unless the new file has its tag's metadata already.
   */
  restate(payload: Uint8Array, oldSeq: number, newSeq: number): Uint8Array {
    const event = decodeEvent(payload);
    let changed = false;
    for (const value of event.summary?.value ?? []) {
      const tag = value.tag ?? '';
      if (value.metadata) {
        this.current.record({
          tag,
          metadata: value.metadata,
          key: metadataKey(value.metadata),
          seq: newSeq,
        });
        continue;
      }
      if (this.current.last.has(tag)) continue;
      const inForce = this.previous?.inForceAt(tag, oldSeq);
      if (!inForce) continue;
      value.metadata = inForce.metadata;
      this.current.record({ ...inForce, seq: newSeq });
      changed = true;
    }
    return changed ? EventType.encode(event as Record<string, unknown>).finish() : payload;
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
