// The known names closest to a misspelt one, for "did you mean" hints (CLI flags and commands, explain's actions).

/** Edit distance (insert, delete, substitute one character), ignoring case. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitute = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitute));
    }
    previous = row;
  }
  return previous[y.length] ?? 0;
}

/**
 * Up to `max` names within a third of the input's length (at least 2 edits) of it, closest first. A
 * name that differs only in case is the only answer: `getobject` means `GetObject`.
 */
export function nearestNames(input: string, names: Iterable<string>, max = 3): string[] {
  const scored = [...new Set(names)].map((name) => ({ name, d: distance(input, name) }));
  const limit = scored.some(({ d }) => d === 0) ? 0 : Math.max(2, Math.floor(input.length / 3));
  return scored
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map(({ name }) => name);
}

/** ` (did you mean A, B or C?)`, or nothing when no name is near. */
export function didYouMean(input: string, names: Iterable<string>, format: (name: string) => string = (name) => name): string {
  const near = nearestNames(input, names).map(format);
  if (near.length === 0) return '';
  const last = near.pop() ?? '';
  return ` (did you mean ${near.length > 0 ? `${near.join(', ')} or ${last}` : last}?)`;
}
