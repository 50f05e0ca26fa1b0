/**
 * lensboard's levelled logger. Quiet by default: the server writes one line
 * per problem (a fault, a failed read), never one per request; `debug` adds
 * a line per request for `--verbose`. Injected everywhere so tests capture it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** A logger that writes lines at or above `level` to `write` (stderr by default). */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const at = (messageLevel: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (RANK[messageLevel] >= RANK[level]) write(`lensboard ${messageLevel}: ${oneLine(message)}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything; the default for embedding and tests. */
export const silentLogger: Logger = createLogger('silent');

/** One problem is one line: newlines inside a message would split it in log files. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' | ');
}

/** The message of a thrown value and of its causes, joined on one line. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
