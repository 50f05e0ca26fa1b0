/**
 * Reads a Server-Sent Events response in tests: text arrives in chunks; wait
 * for what is expected.
 */
export class SseReader {
  text = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    if (response.body === null) throw new Error('SSE response has no body');
    this.reader = response.body.getReader();
  }

  /** Reads until `pattern` matches the text received so far; null if the stream ends first. */
  async waitFor(pattern: RegExp): Promise<RegExpMatchArray | null> {
    for (;;) {
      const match = this.text.match(pattern);
      if (match) return match;
      const { done, value } = await this.reader.read();
      if (done) return null;
      this.text += this.decoder.decode(value, { stream: true });
    }
  }

  /** Resolves true once the server has ended the stream. */
  async ended(): Promise<boolean> {
    for (;;) {
      const { done, value } = await this.reader.read();
      if (done) return true;
      this.text += this.decoder.decode(value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}
