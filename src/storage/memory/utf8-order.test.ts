import assert from 'node:assert/strict';
import { it } from 'node:test';
import { compareUtf8 } from './utf8-order.ts';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const sign = (n: number): number => Math.sign(n);

it('orders astral characters after U+E000-U+FFFF, as their UTF-8 bytes do (UTF-16 `<` says the opposite)', () => {
  const astral = '\u{1F600}';
  const privateUse = '\uE000';
  assert.ok(astral < privateUse, 'UTF-16 code units put the surrogate first');
  assert.ok(compareUtf8(astral, privateUse) > 0);
  assert.ok(compareUtf8(`a${privateUse}`, `a${astral}`) < 0);
  assert.ok(compareUtf8('\uFFFF', astral) < 0);
});

it('agrees with Buffer.compare on UTF-8 for every pair of a mixed sample, prefixes included', () => {
  const sample = ['', 'a', 'a/', 'a/1', 'a/2', 'ab', 'b', 'z', 'é', 'éa', '\u00FF', '\u0800', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}', 'a\u{1F600}', 'a\uFFFF'];
  for (const a of sample) {
    for (const b of sample) assert.equal(sign(compareUtf8(a, b)), sign(byBytes(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});
