import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CosError } from '../errors/cos-error.ts';
import type { Row } from './expression.ts';
import { compileQuery, type Query } from './query.ts';
import type { Json } from './values.ts';

const HEADER = { names: ['name', 'age'], positions: new Map([['name', 0], ['age', 1]]) };
const csv = (...fields: string[]): Row => ({ csv: fields, header: HEADER });
const json = (value: Json): Row => ({ json: value });

/** The records a query keeps (WHERE) and what it makes of each, as name/value pairs. */
function run(query: Query, rows: Row[]): unknown[] {
  const kept = rows.filter((row) => !query.where || query.where(row) === true);
  if (query.select.kind === 'aggregate') {
    const select = query.select;
    kept.forEach((row) => select.add(row));
    return [select.result()];
  }
  const select = query.select;
  return kept.map((row) => select.project(row));
}

const csvQuery = (sql: string) => compileQuery(sql, { input: 'csv', named: true });
const jsonQuery = (sql: string) => compileQuery(sql, { input: 'json', named: false });
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as CosError).code;
  }
};

test('AND binds tighter than OR, as SQL says (node-sql-parser folds them left to right)', () => {
  const query = jsonQuery('select a from COSObject where a = 1 or a = 2 and b = 3');
  assert.deepEqual(run(query, [json({ a: 1, b: 0 }), json({ a: 2, b: 0 }), json({ a: 2, b: 3 })]), [[['a', 1]], [['a', 2]]]);
  const grouped = jsonQuery('select a from COSObject where (a = 1 or a = 2) and b = 3');
  assert.deepEqual(run(grouped, [json({ a: 1, b: 0 }), json({ a: 2, b: 3 })]), [[['a', 2]]]);
});

test('CSV columns by header name, position and alias; numbers compare with CSV text', () => {
  const query = csvQuery("select s.name, _2 as years from COSObject s where s.age >= 30 and name like 'a%'");
  assert.deepEqual(run(query, [csv('alice', '34'), csv('bob', '40'), csv('anna', '20')]), [[['name', 'alice'], ['years', '34']]]);
});

test('JSON paths with members and indexes; MISSING and NULL are unknown to comparisons, caught by IS NULL', () => {
  const rows = [json({ a: { b: [{ c: 'x' }] } }), json({ a: null }), json({})];
  assert.deepEqual(run(jsonQuery('select s.a.b[0].c from COSObject s where s.a.b[0].c = \'x\''), rows), [[['c', 'x']]]);
  assert.equal(run(jsonQuery('select * from COSObject s where s.a is null'), rows).length, 2);
  assert.equal(run(jsonQuery("select * from COSObject s where s.a <> 'z'"), rows).length, 0);
});

test('IN, BETWEEN, NOT, arithmetic and CAST', () => {
  const rows = [json({ n: 1 }), json({ n: 5 }), json({ n: 9 })];
  assert.deepEqual(run(jsonQuery('select n * 2 + 1 from COSObject where n in (1, 9) and not n between 6 and 8'), rows), [[['_1', 3]], [['_1', 19]]]);
  assert.deepEqual(run(csvQuery('select cast(age as int) + 1, cast(age as float) / 4, cast(name as string) from COSObject'), [csv('x', '7.9')]), [
    [['_1', 8], ['_2', 1.975], ['_3', 'x']],
  ]);
  assert.equal(codeOf(() => run(csvQuery('select cast(name as int) from COSObject'), [csv('x', '1')])), 'CastFailed');
  assert.equal(codeOf(() => run(jsonQuery('select n / 0 from COSObject'), rows)), 'DivideByZero');
});

test('string functions: LOWER, UPPER, TRIM, SUBSTRING (1-based), CHAR_LENGTH', () => {
  const query = jsonQuery("select lower(s), upper(s), trim(p), trim(leading 'x' from q), substring(s, 2, 3), substring(s, 0, 2), char_length(s) from COSObject");
  assert.deepEqual(
    run(query, [json({ s: 'HeLLo', p: '  pad  ', q: 'xxyx' })]).map((record) => (record as [string, unknown][]).map(([, value]) => value)),
    [['hello', 'HELLO', 'pad', 'yx', 'eLL', 'H', 5]],
  );
});

test('aggregates over the kept records; columns outside an aggregate are refused there', () => {
  const rows = [csv('a', '10'), csv('b', '20'), csv('c', '')];
  assert.deepEqual(run(csvQuery("select count(*), count(age), sum(cast(age as int)), avg(age), min(name), max(age) from COSObject where age <> ''"), rows), [
    [['_1', 2], ['_2', 2], ['_3', 30], ['_4', 15], ['_5', 'a'], ['_6', '20']],
  ]);
  assert.equal(codeOf(() => csvQuery('select name, count(*) from COSObject')), 'UnsupportedSqlStructure');
});

test('FROM COSObject[*].path names the records inside each JSON value', () => {
  assert.deepEqual(compileQuery('select * from COSObject[*].items[*] s', { input: 'json', named: false }).from, ['items', '*']);
  assert.equal(codeOf(() => csvQuery('select * from COSObject[*].a')), 'UnsupportedSqlStructure');
});

test("SQL outside COS's subset gets COS's error, never a crash", () => {
  const cases: [string, string][] = [
    ['select from', 'ParseUnexpectedToken'],
    ['select * from COSObject group by a', 'UnsupportedSqlStructure'],
    ['select distinct a from COSObject', 'UnsupportedSqlStructure'],
    ['select * from COSObject a join COSObject b on a.x = b.x', 'UnsupportedSqlStructure'],
    ['delete from COSObject', 'UnsupportedSqlStructure'],
    ['select sha1(a) from COSObject', 'UnsupportedFunction'],
    ['select cast(a as timestamp) from COSObject', 'UnsupportedSyntax'],
    ['select * from COSObject limit 1, 2', 'UnsupportedSqlStructure'],
  ];
  for (const [sql, code] of cases) assert.equal(codeOf(() => jsonQuery(sql)), code, sql);
  assert.equal(codeOf(() => compileQuery('select name from COSObject', { input: 'csv', named: false })), 'MissingHeaders');
});
