// Counts a mocha xunit report of cos-nodejs-sdk-v5's suite by group (the suite's top-level `group(...)`).
// Usage: node summarize.cjs <report.xml> <failures file>; runs in the SDK checkout, whose
// fast-xml-parser dependency reads the report.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { XMLParser } = require(path.join(process.cwd(), 'node_modules', 'fast-xml-parser'));

const [report, failuresOut] = process.argv.slice(2);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });
const cases = parser.parse(fs.readFileSync(report, 'utf8')).testsuite.testcase ?? [];

// mocha escapes every non-ASCII character (the suite's Chinese titles) as a numeric reference.
const decode = (text) => String(text).replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)));

const groups = new Map(); // group -> { ran, passed, skipped }
const failed = [];
for (const c of cases) {
  const group = decode(c.classname);
  const count = groups.get(group) ?? { ran: 0, passed: 0, skipped: 0 };
  groups.set(group, count);
  if (c.skipped !== undefined) {
    count.skipped += 1;
    continue;
  }
  count.ran += 1;
  if (c.failure === undefined) count.passed += 1;
  else failed.push(`${group}\t${decode(c.name)}\t${decode(c.failure.message ?? c.failure).split('\n')[0].slice(0, 200)}`);
}
const total = { ran: 0, passed: 0, skipped: 0 };
for (const [group, { ran, passed, skipped }] of groups) {
  console.log(`${String(passed).padStart(4)} of ${String(ran).padStart(4)} passed${skipped ? ` (${skipped} skipped)` : ''}  ${group}`);
  total.ran += ran;
  total.passed += passed;
  total.skipped += skipped;
}
console.log(`${String(total.passed).padStart(4)} of ${String(total.ran).padStart(4)} passed${total.skipped ? ` (${total.skipped} skipped)` : ''}  total`);
fs.writeFileSync(failuresOut, failed.length ? `${failed.join('\n')}\n` : '');
