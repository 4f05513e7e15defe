// Key order as COS (and SQLite's BINARY collation) lists keys: the UTF-8 bytes, compared as unsigned bytes.

/**
 * A UTF-16 code unit's rank in UTF-8 byte order. JavaScript's `<` compares UTF-16 code units, which
 * agrees with UTF-8 byte order except for one case: a surrogate (U+D800-U+DFFF, the half of an
 * astral character, 4 UTF-8 bytes from 0xF0) sorts below U+E000-U+FFFF in UTF-16 but above them
 * (3 bytes from 0xEE) in UTF-8. Moving the surrogates above U+FFFF's rank fixes that.
 */
const rank = (unit: number): number => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);

/** Negative, zero or positive as `a` sorts before, with or after `b` in UTF-8 byte order. */
export function compareUtf8(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}
