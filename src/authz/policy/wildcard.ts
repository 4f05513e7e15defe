// Globs with `*` (any run of characters, '/' included), compiled once into a linear, case-sensitive matcher.
// Used for actions (spec/policy.md §4), resources (§5) and string_like (§6). No RegExp, no backtracking:
// the pattern is split on '*' and the middle pieces are found leftmost-first (MinIO `wildcard/match.go`).

export type Matcher = (subject: string) => boolean;

export const hasWildcard = (pattern: string): boolean => pattern.includes('*');

const always: Matcher = () => true;

export function compileWildcard(pattern: string): Matcher {
  if (!hasWildcard(pattern)) return (s) => s === pattern;
  const parts = pattern.split('*');
  const head = parts[0] ?? '';
  const tail = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  if (head === '' && tail === '' && middle.length === 0) return always;
  const fixed = head.length + tail.length;
  return (s) => {
    if (s.length < fixed || !s.startsWith(head) || !s.endsWith(tail)) return false;
    const end = s.length - tail.length;
    let pos = head.length;
    for (const piece of middle) {
      const at = s.indexOf(piece, pos);
      if (at < 0 || at + piece.length > end) return false;
      pos = at + piece.length;
    }
    return true;
  };
}
