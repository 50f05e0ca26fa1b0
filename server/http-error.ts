/**
 * The one error type of lensboard's HTTP layer. Routes and parameter checks
 * throw it; `app.ts` turns it into a JSON error response in one place. Any
 * other thrown value is an unexpected fault and becomes a plain 500.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  /**
   * @param status the HTTP status the client receives (400, 404, 500, ...)
   * @param message shown to the client as is: name the input and its value
   * @param cause the underlying fault, logged but never sent to the client
   */
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static badRequest(message: string): HttpError {
    return new HttpError(400, message);
  }

  static notFound(message: string): HttpError {
    return new HttpError(404, message);
  }
}

/** The body of every error response, as `docs/http-api.md` defines it. */
export interface ErrorBody {
  error: { status: number; message: string };
}
