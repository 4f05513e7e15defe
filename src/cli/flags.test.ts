// The flag parser on node:util.parseArgs: values, repeats, switches, and the usage errors it words.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { flagLines, parseFlags, UsageError, usageFlags, type FlagSpec } from './flags.ts';

const SPECS: FlagSpec[] = [
  { name: 'owner', value: 'UIN', help: 'the root account', required: true, numeric: true },
  { name: 'condition', value: 'KEY=VALUE', help: 'a condition', multiple: true },
  { name: 'key', value: 'KEY', help: 'an object key' },
  { name: 'strict', help: 'a switch', switch: true },
];

it('reads --name value and --name=value, keeps every value of a repeatable flag and the last of another', () => {
  const f = parseFlags(['--owner', '1', '--condition', 'a=1', '--condition=b=2', '--key', 'x', '--key=--odd', '--owner=2'], SPECS);
  assert.equal(f.get('owner'), '2');
  assert.deepEqual(f.all('condition'), ['a=1', 'b=2']);
  assert.equal(f.get('key'), '--odd', 'a value starting with - is passed inline');
  assert.equal(f.get('strict'), undefined);
});

it('reads a switch alone as true, and =true/=false/=1/=0 explicitly', () => {
  assert.equal(parseFlags(['--owner', '1', '--strict'], SPECS).get('strict'), 'true');
  assert.equal(parseFlags(['--owner', '1', '--strict=0'], SPECS).get('strict'), 'false');
  assert.equal(parseFlags(['--owner', '1', '--strict=true'], SPECS).get('strict'), 'true');
});

it('words each usage error', () => {
  const cases: Array<[string[], string]> = [
    [['--ownr', '1'], 'unknown option --ownr (did you mean --owner?)'],
    [['--owner', '1', 'stray'], 'unexpected argument stray'],
    [['--owner'], '--owner needs a value'],
    [['--owner', '--key', 'x'], '--owner needs a value'],
    [['--owner', 'me'], '--owner must be numeric'],
    [['--key', 'x'], '--owner is required'],
    [['--owner', '1', '--strict=yes'], 'bad --strict=yes: true or false'],
    [['--owner', '1', '--strict', 'on'], 'unexpected argument on'],
  ];
  for (const [argv, message] of cases) assert.throws(() => parseFlags(argv, SPECS), new UsageError(message), argv.join(' '));
});

it('describes the flags for --help', () => {
  assert.equal(usageFlags(SPECS), '--owner UIN [--condition KEY=VALUE ...] [--key KEY] [--strict]');
  assert.equal(flagLines(SPECS.slice(2)), '  --key KEY  an object key\n  --strict   a switch');
});
