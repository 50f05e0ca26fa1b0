/**
 * The typed client of lensboard's HTTP API (docs/http-api.md), used by every
 * view. Each call takes an AbortSignal; failures are ApiError with the HTTP
 * status (0 when the server could not be reached or answered off-contract).
 *
 * Series answers are cached per URL until a live change names their (run, tag),
 * so a view that refetches on every change only pays for what changed. Only
 * completed answers are cached: an aborted call never poisons another caller.
 */
import type {
  HistogramEntry,
  ImageEntry,
  LoadedTensor,
  LogdirChange,
  PayloadAt,
  RunsAnswer,
  ScalarPoint,
  Series,
  TagInfo,
  TensorSeries,
  TextEntry,
} from './api-types.js';
import {
  WireError,
  decodeFloat32,
  decodeHistograms,
  decodeImages,
  decodeScalars,
  decodeShapeHeader,
  decodeTensorJson,
  decodeTensors,
  decodeText,
  decodeFinite,
} from './wire.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** HTTP status, or 0 for a network failure or an answer that breaks the contract. */
    readonly status: number,
    message: string,
    /** The route and query that failed, e.g. `/api/scalars?run=a&tag=loss`. */
    readonly url: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
type Params = Record<string, string | number>;

interface CacheEntry {
  run: string | null;
  tag: string | null;
  value: unknown;
}

export class ApiClient {
  private readonly cache = new Map<string, CacheEntry>();

  /**
   * `base` is the server's origin and prefix; '.' resolves against the page, so
   * any mount point works.
   */
  constructor(private readonly base = '') {}

  async runs(signal?: AbortSignal): Promise<RunsAnswer> {
    const body = await this.json('/api/runs', {}, signal);
    return body as unknown as RunsAnswer;
  }

  async tags(run: string, signal?: AbortSignal): Promise<TagInfo[]> {
    return this.cached('/api/tags', { run }, signal, (body) => body.tags as TagInfo[]);
  }

  scalars(run: string, tag: string, signal?: AbortSignal): Promise<Series<ScalarPoint>> {
    return this.cached('/api/scalars', { run, tag }, signal, decodeScalars);
  }

  images(run: string, tag: string, signal?: AbortSignal): Promise<Series<ImageEntry>> {
    return this.cached('/api/images', { run, tag }, signal, decodeImages);
  }

  histograms(run: string, tag: string, signal?: AbortSignal): Promise<Series<HistogramEntry>> {
    return this.cached('/api/histograms', { run, tag }, signal, decodeHistograms);
  }

  text(run: string, tag: string, signal?: AbortSignal): Promise<Series<TextEntry>> {
    return this.cached('/api/text', { run, tag }, signal, decodeText);
  }

  tensors(run: string, tag: string, signal?: AbortSignal): Promise<TensorSeries> {
    return this.cached('/api/tensors', { run, tag }, signal, decodeTensors);
  }

  /**
   * The URL of image `index` of one event, for an `<img src>`: the entry with
   * `at.id`, or the newest event at `at.step` (a bare number is a step).
   */
  imageUrl(run: string, tag: string, at: PayloadAt | number, index = 0): string {
    return this.url('/api/image', { run, tag, ...payloadAt(at), index });
  }

  /** One raw tensor, by id or step, fetched in the compact binary form. */
  async tensor(
    run: string,
    tag: string,
    at: PayloadAt | number,
    signal?: AbortSignal,
  ): Promise<LoadedTensor> {
    const url = this.url('/api/tensor', { run, tag, ...payloadAt(at) });
    const response = await this.fetch(url, signal);
    const bytes = await response.arrayBuffer();
    return this.decoding(url, () => {
      const shape = decodeShapeHeader(response.headers.get('X-Tensor-Shape'));
      // An old server without the headers: the asked step stands in; an id says no step.
      const asked = payloadAt(at).step ?? NaN;
      const header = (name: string) => Number(response.headers.get(name) ?? asked);
      return {
        step: decodeFinite(header('X-Step'), 'X-Step'),
        wallTime: decodeFinite(header('X-Wall-Time'), 'X-Wall-Time'),
        dtype: response.headers.get('X-Tensor-Dtype') ?? 'float32',
        shape,
        values: decodeFloat32(bytes, shape),
      };
    });
  }

  /** The same tensor through `format=json`, where non-finite values are spelled out. */
  async tensorJson(run: string, tag: string, step: number, signal?: AbortSignal) {
    const body = await this.json('/api/tensor', { run, tag, step, format: 'json' }, signal);
    return this.decoding(this.url('/api/tensor', { run, tag, step }), () => decodeTensorJson(body));
  }

  eventsUrl(): string {
    return `${this.base}/api/events`;
  }

  /** Forgets cached answers that a batch of live changes made stale. */
  invalidate(changes: LogdirChange[]): void {
    for (const change of changes) {
      for (const [url, entry] of this.cache) {
        if (entry.run !== change.run) continue;
        if (change.tag === undefined || entry.tag === null || entry.tag === change.tag) {
          this.cache.delete(url);
        }
      }
    }
  }

  /** Forgets every cached answer: after a lost live stream, anything may have changed. */
  invalidateAll(): void {
    this.cache.clear();
  }

  private async cached<T>(
    route: string,
    params: { run: string; tag?: string },
    signal: AbortSignal | undefined,
    decode: (body: Body) => T,
  ): Promise<T> {
    const url = this.url(route, params);
    const hit = this.cache.get(url);
    if (hit) return hit.value as T;
    const body = await this.json(route, params, signal);
    const value = this.decoding(url, () => decode(body));
    this.cache.set(url, { run: params.run, tag: params.tag ?? null, value });
    return value;
  }

  private async json(route: string, params: Params, signal?: AbortSignal): Promise<Body> {
    const url = this.url(route, params);
    const response = await this.fetch(url, signal);
    const body = await response.json().catch(() => {
      throw new ApiError(0, `answer of ${route} is not JSON`, url);
    });
    if (body === null || typeof body !== 'object') {
      throw new ApiError(0, `answer of ${route} is not an object: ${JSON.stringify(body)}`, url);
    }
    return body as Body;
  }

  /** Fetches, turning network failures and non-2xx answers into ApiError. */
  private async fetch(url: string, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, `server unreachable (${(error as Error).message})`, url);
    }
    if (!response.ok) throw await errorFromResponse(response, url);
    return response;
  }

  private decoding<T>(url: string, decode: () => T): T {
    try {
      return decode();
    } catch (error) {
      if (error instanceof WireError) throw new ApiError(0, error.message, url);
      throw error;
    }
  }

  private url(route: string, params: Params): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) query.set(key, String(value));
    const text = query.toString();
    return `${this.base}${route}${text ? `?${text}` : ''}`;
  }
}

/** The contract's error body `{"error": {"status", "message"}}`, or the status line without one. */
async function errorFromResponse(response: Response, url: string): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    const message = body?.error?.message;
    return new ApiError(response.status, typeof message === 'string' ? message : fallback, url);
  } catch {
    return new ApiError(response.status, fallback, url);
  }
}

/** A payload address as query parameters; a bare number is a step. */
function payloadAt(at: PayloadAt | number): Record<string, number> & { step?: number } {
  if (typeof at === 'number') return { step: at };
  return 'id' in at ? { id: at.id } : { step: at.step };
}

/** The client views share, talking to the server that served the page. */
export const api = new ApiClient('.');
