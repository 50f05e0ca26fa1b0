/**
 * The run directory, or the event file alone, deleted while a writer has it
 * open: the writer says so through onError, re-creates the directory and
 * continues in a new event file, as TensorFlow's EventsWriter does, with
 * every event written after the deletion and every tag's metadata in it.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Event, SummaryValue } from '../proto/index.js';
import { EventFileDeletedError, EventFileError, SummaryWriter } from '../writer/index.js';
import { readEvents, runChild, stepOf } from './helpers/read-events.js';

let writers: SummaryWriter[] = [];
afterEach(async () => {
  await Promise.all(writers.map((writer) => writer.close().catch(() => undefined)));
  writers = [];
});

function newWriter(options = {}): { writer: SummaryWriter; runDir: string; reports: Error[] } {
  const runDir = join(mkdtempSync(join(tmpdir(), 'lb-deleted-')), 'run');
  const reports: Error[] = [];
  const writer = new SummaryWriter(runDir, { onError: (e) => reports.push(e), ...options });
  writers.push(writer);
  return { writer, runDir, reports };
}

const valueOf = (event: Event): SummaryValue => event.summary!.value![0];
const summariesOf = (file: string) => readEvents(file).filter((event) => event.summary);

describe('a run directory deleted under the writer', () => {
  it('is re-created, and later events go to a new file that starts with file_version', async () => {
    const { writer, runDir, reports } = newWriter();
    for (let step = 0; step < 10; step++) writer.scalar('loss', step, step);
    await writer.flush();
    const deleted = writer.filePath;
    rmSync(runDir, { recursive: true });

    for (let step = 10; step < 20; step++) writer.scalar('loss', step, step);
    await writer.flush();

    expect(writer.filePath).not.toBe(deleted);
    expect(readdirSync(runDir)).toEqual([basename(writer.filePath)]);
    const [first, ...rest] = readEvents(writer.filePath);
    expect(first.fileVersion).toBe('brain.Event:2');
    expect(rest.map(stepOf)).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeInstanceOf(EventFileDeletedError);
    expect(reports[0].message).toContain(deleted);
    expect(reports[0].message).toContain(writer.filePath);
  });

  it('is handled the same when only the event file is deleted', async () => {
    const { writer, runDir, reports } = newWriter();
    writer.scalar('loss', 0, 0);
    await writer.flush();
    const deleted = writer.filePath;
    rmSync(deleted);

    writer.scalar('loss', 1, 1);
    await writer.close();

    expect(existsSync(deleted)).toBe(false);
    expect(readdirSync(runDir)).toEqual([basename(writer.filePath)]);
    expect(summariesOf(writer.filePath).map(stepOf)).toEqual([1]);
    expect((reports[0] as EventFileDeletedError).file).toBe(deleted);
  });

  it("restates each tag's metadata in the new file, as in force for each value", async () => {
    const { writer, runDir } = newWriter();
    writer.scalar('loss', 0.5, 0);
    writer.histogram('h', [1, NaN], 0);
    writer.text('notes', 'kept in the deleted file', 0);
    await writer.flush();
    rmSync(runDir, { recursive: true });

    // Queued without metadata (the deleted file had it), then moved:
    writer.scalar('loss', 0.4, 1);
    writer.histogram('h', [2, NaN], 1);
    // The histogram's note goes away: this value states its new metadata itself.
    writer.histogram('h', [3], 2);
    await writer.flush();
    // The new file has it now: no metadata again.
    writer.scalar('loss', 0.3, 2);
    await writer.flush();

    const values = summariesOf(writer.filePath).map(valueOf);
    expect(values.map((value) => value.tag)).toEqual(['loss', 'h', 'h', 'loss']);
    expect(values[0].metadata?.pluginData?.pluginName).toBe('scalars');
    expect(values[1].metadata?.pluginData?.pluginName).toBe('histograms');
    expect(values[1].metadata?.summaryDescription).toMatch(/NaN 1/);
    expect(values[2].metadata?.pluginData?.pluginName).toBe('histograms');
    expect(values[2].metadata?.summaryDescription ?? '').toBe('');
    expect(values[3].metadata ?? null).toBeNull();
  });

  it('restates the metadata of a value whose append is what finds the file deleted', async () => {
    // A queue bound of one scalar (47 bytes): appending `acc` writes the queue
    // synchronously, finds the file deleted and replaces it, all before `acc`
    // itself is queued, encoded for the deleted file.
    const { writer, runDir } = newWriter({ maxQueuedBytes: 60 });
    writer.scalar('loss', 0, 0);
    writer.scalar('acc', 0, 0);
    await writer.flush();
    rmSync(runDir, { recursive: true });
    writer.scalar('loss', 1, 1);
    writer.scalar('acc', 1, 1);
    await writer.flush();

    const values = summariesOf(writer.filePath).map(valueOf);
    expect(values.map((value) => [value.tag, value.metadata?.pluginData?.pluginName])).toEqual([
      ['loss', 'scalars'],
      ['acc', 'scalars'],
    ]);
  });

  it('writes again, once each, the events that went to the deleted file unchecked', async () => {
    // With a small queue bound every few appends write synchronously, some of
    // them into the deleted file before the check after the write sees it.
    const { writer, runDir, reports } = newWriter({ maxQueuedBytes: 2048 });
    for (let step = 0; step < 2000; step++) {
      if (step === 1000) rmSync(runDir, { recursive: true });
      writer.scalar('loss', step, step);
    }
    await writer.flush();

    const steps = summariesOf(writer.filePath).map(stepOf);
    expect(steps[0]).toBeLessThan(1000);
    expect(steps).toEqual(Array.from({ length: 2000 - steps[0] }, (_, i) => steps[0] + i));
    // Those written again include any appended after the deletion and written before the check.
    const [report] = reports as EventFileDeletedError[];
    expect(report.rewrittenEvents).toBeGreaterThanOrEqual(1000 - steps[0]);
    expect(report.message).toContain(`the ${report.rewrittenEvents} events written to it`);
  });

  it('stops with an error, never loops, when each new file is deleted at once', async () => {
    const { writer, runDir } = newWriter({
      onError: (error: Error) => {
        if (error instanceof EventFileDeletedError) rmSync(runDir, { recursive: true });
      },
    });
    writer.scalar('loss', 0, 0);
    await writer.flush();
    rmSync(runDir, { recursive: true });
    for (let step = 1; step <= 5; step++) writer.scalar('loss', step, step);

    const error = await writer.flush().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventFileError);
    expect((error as EventFileError).message).toMatch(/deleted again before it was once seen/);
    // The five scalars; the twice-deleted file's own file_version was no event of the caller's.
    expect((error as EventFileError).lostEvents).toBe(5);
  });
});

describe('a run directory deleted before the process exits', () => {
  it('is re-created by the exit flush, which says so on stderr', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'lb-deleted-')), 'run');
    const result = await runChild(`
      import { rmSync } from 'node:fs';
      const writer = new lb.SummaryWriter(${JSON.stringify(runDir)});
      writer.scalar('loss', 0, 0);
      await writer.flush();
      rmSync(${JSON.stringify(runDir)}, { recursive: true });
      for (let step = 1; step <= 9; step++) writer.scalar('loss', step, step);
      process.exit(0);
    `);
    expect(result.code).toBe(0);
    const [name] = readdirSync(runDir);
    expect(summariesOf(join(runDir, name)).map(stepOf)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const lines = result.stderr.split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/EventFileDeletedError: event file .* was deleted while open/);
    expect(lines[0]).toContain(join(runDir, name));
  });
});
