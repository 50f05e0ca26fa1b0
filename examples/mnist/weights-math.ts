/**
 * Arithmetic on models given as lists of weight arrays (one per variable, in
 * the model's order): the element-wise mean that federated averaging and
 * gradient averaging use, and how far each worker is from it.
 */

/** Element-wise mean of equally shaped weight lists, computed in float64. */
export function averageWeights(lists: Float32Array[][]): Float32Array[] {
  if (lists.length === 0) throw new RangeError('cannot average zero weight lists');
  return lists[0].map((first, v) => {
    const sum = new Float64Array(first.length);
    for (const list of lists) {
      const values = list[v];
      if (values.length !== first.length) {
        throw new RangeError(`variable ${v}: got ${values.length} values, want ${first.length}`);
      }
      for (let i = 0; i < values.length; i++) sum[i] += values[i];
    }
    return Float32Array.from(sum, (total) => total / lists.length);
  });
}

/** The layer a variable belongs to: `conv1` of `conv1/kernel`. */
export function layerOf(variableName: string): string {
  const slash = variableName.lastIndexOf('/');
  return slash < 0 ? variableName : variableName.slice(0, slash);
}

/**
 * For each worker and layer: norm(worker - average) / norm(average), over all
 * of the layer's variables. Layers whose shapes differ between workers (an
 * expert's own output layer) have no common average and are left out; a
 * layer whose average is all zeros reports the plain norm of the difference.
 */
export function divergence(lists: Float32Array[][], names: string[]): Map<string, number>[] {
  const shared = names.flatMap((name, v) =>
    lists.every((list) => list[v].length === lists[0][v].length) ? [v] : [],
  );
  const average = averageWeights(lists.map((list) => shared.map((v) => list[v])));
  return lists.map((list) => {
    const sums = new Map<string, { diff: number; base: number }>();
    shared.forEach((v, k) => {
      const layer = layerOf(names[v]);
      const sum = sums.get(layer) ?? { diff: 0, base: 0 };
      for (let i = 0; i < average[k].length; i++) {
        sum.diff += (list[v][i] - average[k][i]) ** 2;
        sum.base += average[k][i] ** 2;
      }
      sums.set(layer, sum);
    });
    return new Map(
      [...sums].map(([layer, { diff, base }]) => [
        layer,
        base > 0 ? Math.sqrt(diff / base) : Math.sqrt(diff),
      ]),
    );
  });
}
