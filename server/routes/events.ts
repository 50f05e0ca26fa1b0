/**
 * Live updates as Server-Sent Events: each reload pass's changes become one
 * `changes` event, and a comment line every heartbeat keeps proxies from
 * closing an idle stream. Every open stream is tracked so that shutting the
 * server down ends them instead of waiting for clients to leave.
 */
import { Router, type Response } from 'express';
import type { LogdirChange, LogdirReader } from '../model.js';
import { toStrictJson } from '../json.js';

/** Proxies commonly drop connections idle for 30-60 s; 15 s stays well inside that. */
export const HEARTBEAT_MS = 15_000;

/**
 * A client that stops reading lets writes pile up in memory. Past this many
 * unsent bytes its connection is dropped; the client reconnects and
 * refetches, which is what it must do after any lost stream anyway.
 */
export const MAX_UNSENT_BYTES = 1 << 20;

export class EventStreams {
  /** Open streams, each with the function that detaches it from the reader and timer. */
  private readonly open = new Map<Response, () => void>();

  constructor(
    private readonly reader: LogdirReader,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size(): number {
    return this.open.size;
  }

  routes(): Router {
    const router = Router();
    router.get('/events', (req, res) => {
      this.attach(res);
      req.on('close', () => this.detach(res));
      // A write racing a disconnect fails on the socket; the stream is over either way.
      res.on('error', () => this.detach(res));
    });
    return router;
  }

  /** Ends every stream; clients see the end of the response and may reconnect later. */
  closeAll(): void {
    for (const res of [...this.open.keys()]) this.end(res);
  }

  private end(res: Response): void {
    this.detach(res);
    res.end();
  }

  /** Ending would wait to flush what the client is not reading; destroying frees it now. */
  private drop(res: Response): void {
    this.detach(res);
    res.destroy();
  }

  private attach(res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(': connected\n\n');

    const send = (text: string) => {
      if (res.writableLength <= MAX_UNSENT_BYTES) res.write(text);
      else this.drop(res);
    };
    const unsubscribe = this.reader.onChange((changes) => {
      if (changes.length > 0) send(changesEvent(changes));
    });
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    this.open.set(res, () => {
      unsubscribe();
      clearInterval(heartbeat);
    });
  }

  private detach(res: Response): void {
    this.open.get(res)?.();
    this.open.delete(res);
  }
}

/** One SSE event; strict JSON never holds a raw newline, so one `data:` line suffices. */
export function changesEvent(changes: LogdirChange[]): string {
  return `event: changes\ndata: ${toStrictJson(changes)}\n\n`;
}
