/**
 * Runs the `lensboard` command from its TypeScript source, as a user would
 * run it under tsx, and collects what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `npx tsx server/cli.ts ...args`, to completion. */
export function runCli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  const child = spawn('npx', ['tsx', 'server/cli.ts', ...args], { cwd: REPO_ROOT });
  return collect(child, timeoutMs);
}

/**
 * A long-running `lensboard` under tsx directly: npm's `npx` wrapper does not
 * pass SIGTERM or SIGINT on to the command it runs, so a signal test must
 * reach tsx, which relays it to the server process.
 */
export class RunningCli {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  private stdout = '';

  constructor(args: string[]) {
    const tsx = `${REPO_ROOT}node_modules/.bin/tsx`;
    this.child = spawn(tsx, ['server/cli.ts', ...args], { cwd: REPO_ROOT });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.result = collect(this.child, 120_000);
  }

  /** The URL the command printed once it listens. */
  async url(): Promise<string> {
    for (let waited = 0; waited < 60_000; waited += 50) {
      const match = this.stdout.match(/at (http:\/\/\S+\/)/);
      if (match) return match[1];
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const { stderr } = await this.result;
    throw new Error(`lensboard printed no URL; stderr: ${stderr}`);
  }

  get printed(): string {
    return this.stdout;
  }
}

function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
