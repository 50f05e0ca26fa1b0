/**
 * Follows the server's `/api/events` stream. The browser's EventSource
 * reconnects by itself; after a lost stream the viewer cannot know what it
 * missed, so a reconnect is reported as "refetch everything".
 */
import type { LogdirChange } from './api-types.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  onChanges(changes: LogdirChange[]): void;
  /** Called when the stream comes back after a loss. */
  onReconnect(): void;
  onStatus(status: LiveStatus, detail?: string): void;
}

/** Opens the stream; returns a function that closes it. */
export function followChanges(url: string, handlers: LiveHandlers): () => void {
  const source = new EventSource(url);
  let lost = false;
  handlers.onStatus('connecting');

  source.addEventListener('open', () => {
    handlers.onStatus('live');
    if (lost) handlers.onReconnect();
    lost = false;
  });
  source.addEventListener('error', () => {
    lost = true;
    handlers.onStatus('reconnecting');
  });
  source.addEventListener('changes', (event) => {
    const changes = parseChanges((event as MessageEvent<string>).data);
    if (changes) handlers.onChanges(changes);
    else handlers.onStatus('live', `ignored a malformed changes event: ${event.data}`);
  });
  return () => source.close();
}

export function parseChanges(data: string): LogdirChange[] | null {
  try {
    const changes = JSON.parse(data) as unknown;
    if (!Array.isArray(changes)) return null;
    return changes.filter(
      (change): change is LogdirChange =>
        typeof change === 'object' && change !== null && typeof change.run === 'string',
    );
  } catch {
    return null;
  }
}
