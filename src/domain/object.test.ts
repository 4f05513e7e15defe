// Object keys COS refuses (too long, U+0000 and CAN/EM/SUB/ESC, keys that path merging empties), and the Content-Type a key implies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { checkKey, contentTypeOfKey, storedHeadersFrom } from './object.ts';

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

describe('contentTypeOfKey', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['1.zip', 'application/zip'],
    ['docs/readme.txt', 'text/plain'],
    ['PHOTO.JPG', 'image/jpeg'],
    ['a.b/data.json', 'application/json'],
    ['archive.unknownext', 'application/octet-stream'],
    ['txt', 'application/octet-stream'],
    ['folder/', 'application/octet-stream'],
    ['.txt', 'application/octet-stream'],
  ];
  for (const [key, type] of cases) it(`${key} -> ${type}`, () => assert.equal(contentTypeOfKey(key), type));
});

describe('storedHeadersFrom', () => {
  it('infers the type when the request sends none or an empty one, and keeps a sent one', () => {
    assert.equal(storedHeadersFrom({}, '1.zip')['content-type'], 'application/zip');
    assert.equal(storedHeadersFrom({ 'content-type': '' }, 'a.txt')['content-type'], 'text/plain');
    assert.equal(storedHeadersFrom({ 'content-type': 'image/png' }, 'a.txt')['content-type'], 'image/png');
  });
});
