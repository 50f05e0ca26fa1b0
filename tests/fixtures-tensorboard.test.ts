import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogdirLoader } from '../server/logdir-loader.js';
import { checkAgainstOracle } from './helpers/oracle.js';

const FIXTURES = '/work/shared/fixtures/tensorboard';
const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('reading TensorBoard-written fixtures', () => {
  it.each(cases)('%s agrees with what TensorBoard loaded', async (name) => {
    await checkAgainstOracle(join(FIXTURES, name));
  });
});

async function loaded(name: string) {
  const loader = new LogdirLoader(join(FIXTURES, name, 'logdir'));
  await loader.reloadOnce();
  await loader.close();
  return loader;
}

describe('damaged and restarted fixtures', () => {
  it(
    'keeps a truncated tail quietly: ' + 'no warning, since a writer may still be writing',
    async () => {
      const loader = await loaded('truncated_tail');
      expect(loader.runs().flatMap((run) => run.warnings)).toEqual([]);
    },
  );

  it('reports each bad CRC as data loss naming the file and offset', async () => {
    const loader = await loaded('corrupt_crc');
    const warnings = Object.fromEntries(loader.runs().map((run) => [run.name, run.warnings]));
    expect(warnings['bad_data_crc']).toEqual([
      expect.stringMatching(/data loss in .*\.4242\.0 at offset \d+: payload checksum mismatch/),
    ]);
    expect(warnings['bad_header_crc']).toEqual([
      expect.stringMatching(/data loss in .*\.4242\.3 at offset \d+: length checksum mismatch/),
    ]);
    expect(warnings['bad_crc_then_next_file']).toHaveLength(1);
  });

  it(
    'counts purged values in the run warnings: ' + '12 after a SessionLog START, 6 by tag',
    async () => {
      const loader = await loaded('out_of_order_restart');
      const warnings = Object.fromEntries(loader.runs().map((run) => [run.name, run.warnings]));
      expect(warnings['v2_sessionlog_restart']).toEqual([expect.stringMatching(/hid 12 values/)]);
      expect(warnings['v1_by_tag_purge']).toEqual([expect.stringMatching(/hid 6 values/)]);
      expect(warnings['v2_no_sessionlog']).toEqual([]);
    },
  );

  it('lists empty event files as runs with no data and no warnings', async () => {
    const loader = await loaded('empty_file');
    expect(loader.runs().map((run) => [run.name, run.status, run.warnings])).toEqual([
      ['only_file_version', 'no-data', []],
      ['zero_bytes', 'no-data', []],
    ]);
  });

  it('shows every purged value again when purging is off', async () => {
    const loader = new LogdirLoader(join(FIXTURES, 'out_of_order_restart', 'logdir'), {
      purgeOrphanedData: false,
    });
    await loader.reloadOnce();
    expect(loader.scalars('v2_sessionlog_restart', 'loss')?.entries).toHaveLength(15);
    expect(loader.runs().flatMap((run) => run.warnings)).toEqual([]);
    await loader.close();
  });
});
