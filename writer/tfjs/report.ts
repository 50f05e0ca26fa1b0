/**
 * How the tfjs adapter reports trouble without disturbing training: failures go
 * to the user's `onError` hook, else to one console warning per kind of
 * logging (metrics, activations, weights, ...), so that one cause (a closed
 * writer, a full disk) gives a few lines however large the model; advisory
 * warnings (a layer over the cap, a converted int tensor) go to `onWarning`,
 * else to the console, each kind once per writer.
 */

export interface ReportOptions {
  /** Receives every logging failure; without it each kind is warned once. */
  onError?: (error: Error) => void;
  /** Receives advisory warnings; without it they go to `console.warn`. */
  onWarning?: (message: string) => void;
}

/**
 * What a failure was logging, for the once-per-kind console warning: every
 * layer's activations share `activation`, every variable `weight`.
 */
export type FailureKind =
  'metric' | 'activation' | 'weight' | 'gradient' | 'unit label' | 'snapshot' | 'flush';

/**
 * Keys of the warnings already given, per writer: a warning repeats neither
 * across steps nor across calls that log to the same writer.
 */
const givenWarnings = new WeakMap<object, Set<string>>();

export class Reporter {
  private readonly given: Set<string>;

  constructor(
    writer: object,
    private readonly options: ReportOptions = {},
  ) {
    let given = givenWarnings.get(writer);
    if (!given) givenWarnings.set(writer, (given = new Set()));
    this.given = given;
  }

  /** Gives `message` unless a warning with the same `key` was given for this writer. */
  warnOnce(key: string, message: string): void {
    if (this.given.has(key)) return;
    this.given.add(key);
    if (this.options.onWarning) this.options.onWarning(message);
    else console.warn(`lensboard: ${message}`);
  }

  /** Reports a failure of logging `what` (one item of `kind`); never throws. */
  error(kind: FailureKind, what: string, cause: unknown): void {
    // Warnings carry no prefix (the console adds "lensboard: "); an error
    // handed to onError stands alone, so it names lensboard itself.
    const problem = `could not log ${what}: ${describe(cause)}`;
    if (!this.options.onError) {
      this.warnOnce(`error:${kind}`, `${problem} (further ${kind} failures are silent)`);
      return;
    }
    const error = new Error(`lensboard ${problem}`, { cause });
    try {
      this.options.onError(error);
    } catch {
      // A throwing hook must not turn a logging failure into a training failure.
    }
  }

  /** Runs `action`, reporting instead of throwing if it fails. */
  async guard(kind: FailureKind, what: string, action: () => Promise<void> | void): Promise<void> {
    try {
      await action();
    } catch (cause) {
      this.error(kind, what, cause);
    }
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
