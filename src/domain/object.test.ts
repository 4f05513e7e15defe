// Object keys COS refuses: too long, U+0000 and CAN/EM/SUB/ESC, and keys that path merging empties.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { checkKey } from './object.ts';

const refusedWith = (code: string) => (e: unknown): boolean => e instanceof CosError && e.code === code;

describe('checkKey', () => {
  it('takes ordinary keys, folders, dots and spaces inside names, and other control characters', () => {
    for (const key of ['a', 'a/', 'a/b/../c', '../a', './a', '..a', 'a..', ' ', '_ ', '\t', 'a\u0001b', 'x\u001fy', '报告.txt', 'x'.repeat(850)]) {
      assert.doesNotThrow(() => checkKey(key), JSON.stringify(key));
    }
  });

  it('refuses keys that POSIX path merging reduces to nothing, as the COS SDKs do', () => {
    for (const key of ['/', '///////', '/./', '.', './', '../', '..', '/../', 'a/..', 'a/b/../..', './/./']) {
      assert.throws(() => checkKey(key), refusedWith('InvalidURI'), JSON.stringify(key));
    }
  });

  it('refuses U+0000 and the control characters COS lists as unsupported (U+0018-U+001B)', () => {
    for (const key of ['a\u0000b', '\u0000', 'a\u0018', 'a\u0019', 'a\u001a', 'a\u001b']) {
      assert.throws(() => checkKey(key), refusedWith('InvalidURI'), JSON.stringify(key));
    }
  });

  it('refuses keys over 850 bytes with KeyTooLong', () => {
    assert.throws(() => checkKey('x'.repeat(851)), refusedWith('KeyTooLong'));
    assert.throws(() => checkKey('报'.repeat(284)), refusedWith('KeyTooLong'));
  });
});
