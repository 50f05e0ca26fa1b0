/**
 * Timing marks the benchmark reads (`performance.getEntriesByType('measure')`):
 * first render of the scalars after their data arrived, and a step change until
 * every view element has finished updating. Measures start at the newest mark
 * of their start name. Marks cost microseconds and are
 * left on in production so a slow page can be profiled as it is.
 */
import type { LitElement } from 'lit';

export const MEASURE_FIRST_RENDER = 'lb:scalars first render';
export const MEASURE_STEP_CHANGE = 'lb:step change';
/** Set each time a chart draws its data: charts off screen draw later, when scrolled to. */
export const MARK_CHART_DRAWN = 'lb:chart drawn';

export function mark(name: string): void {
  performance.mark(name);
}

export function measure(name: string, startMark: string): void {
  if (performance.getEntriesByName(startMark, 'mark').length === 0) return;
  performance.measure(name, startMark);
}

/** Resolves once `element` and every Lit element in its shadow tree have no pending update. */
export async function settled(element: Element): Promise<void> {
  const lit = element as Partial<LitElement>;
  if (lit.updateComplete) await lit.updateComplete;
  const children = element.shadowRoot?.querySelectorAll('*') ?? [];
  await Promise.all([...children].filter((child) => 'updateComplete' in child).map(settled));
}
