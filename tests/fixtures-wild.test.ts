import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { checkAgainstOracle } from './helpers/oracle.js';

const FIXTURES = '/work/shared/fixtures/wild';
const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

describe('reading event files other tools wrote', () => {
  it.each(cases)('%s agrees with what TensorBoard loaded', async (name) => {
    await checkAgainstOracle(join(FIXTURES, name));
  });
});
