/**
 * A stable colour per run: the run's name hashed into a categorical palette,
 * so a run keeps its colour across views, reloads and other runs coming and
 * going. Two runs can share a colour once there are more runs than colours;
 * the sidebar and readouts always name the run next to its colour.
 */
import { schemeDark2, schemeTableau10 } from 'd3-scale-chromatic';

const PALETTE: readonly string[] = [...schemeTableau10, ...schemeDark2];

/** FNV-1a over UTF-16 code units: cheap, and spreads similar names (worker-0, worker-1) apart. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function runColor(run: string): string {
  return PALETTE[hashName(run) % PALETTE.length];
}
