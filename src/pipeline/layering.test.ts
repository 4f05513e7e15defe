// The import rule of src/: a module imports only its own layer and the layers below it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Lowest first; each entry is a top-level folder (or file) of src/. Written once, here, so that a
 * module reaching upwards is caught when it is written rather than when the cycle bites: the wire
 * (http) knows nothing of operations, the pure decision (authz) nothing of I/O, operations (api)
 * nothing of the pipeline that calls them, background jobs nothing of requests, and only the composition root wires everything. auth sits
 * above storage because its keyring reads credentials from the metadata store (auth/store-keyring.ts).
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['errors', 'util', 'version.ts'],
  ['domain'],
  ['http'],
  // Select's SQL, readers and event-stream framing: pure over streams, used by api/select-object-content.ts.
  ['select'],
  ['routing'],
  ['authz'],
  ['storage'],
  ['auth'],
  ['api'],
  ['jobs'],
  ['admin'],
  ['pipeline'],
  ['config.ts', 'banner.ts', 'app.ts', 'main.ts', 'workers.ts', 'cli.ts', 'cli', 'start-server.ts', 'index.ts'],
];

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const layerOf = (file: string): number => LAYERS.findIndex((names) => names.includes(relative(SRC, file).split('/')[0] ?? ''));

/** Every module of src/; tests are left out, as a unit test may stand up more than the module it tests. */
function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative specifiers of static imports, re-exports and dynamic imports, type-only ones included. */
function importsOf(source: string): string[] {
  const found = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...found].map((match) => match[1] ?? '');
}

test('every top-level entry of src/ has a layer', () => {
  const unplaced = readdirSync(SRC).filter((name) => !name.endsWith('.test.ts') && !LAYERS.some((names) => names.includes(name)));
  assert.deepEqual(unplaced, []);
});

test('no module imports a layer above its own', () => {
  const upward: string[] = [];
  for (const file of modules(SRC)) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(`${SRC}/`)) continue;
      if (layerOf(target) > layerOf(file)) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the rule sees an upward import', () => {
  // Guards the scanner itself: a regex that matched nothing would pass the test above vacuously.
  assert.deepEqual(importsOf("import type { Reply } from '../http/respond.ts';\nexport { x } from './x.ts';\nawait import('../app.ts');"), [
    '../http/respond.ts',
    './x.ts',
    '../app.ts',
  ]);
  assert.ok(layerOf(join(SRC, 'http', 'respond.ts')) < layerOf(join(SRC, 'api', 'operation.ts')));
});
