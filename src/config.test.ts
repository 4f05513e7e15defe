// The server configuration: switches and limits, by flag, environment twin and default.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { UsageError } from './cli/flags.ts';
import { parseConfig } from './config.ts';

it('--allow-unbound-signatures is off by default, on by flag or COSLOCAL_ALLOW_UNBOUND_SIGNATURES, and takes only true/false', () => {
  assert.equal(parseConfig([], {}).allowUnboundSignatures, false);
  assert.equal(parseConfig(['--allow-unbound-signatures'], {}).allowUnboundSignatures, true);
  assert.equal(parseConfig([], { COSLOCAL_ALLOW_UNBOUND_SIGNATURES: '1' }).allowUnboundSignatures, true);
  assert.equal(parseConfig(['--allow-unbound-signatures=false'], { COSLOCAL_ALLOW_UNBOUND_SIGNATURES: '1' }).allowUnboundSignatures, false);
  assert.throws(() => parseConfig(['--allow-unbound-signatures=yes'], {}), UsageError);
});

it('--in-memory is off by default, on by flag or COSLOCAL_IN_MEMORY, and takes only true/false', () => {
  assert.equal(parseConfig([], {}).inMemory, false);
  assert.equal(parseConfig(['--in-memory'], {}).inMemory, true);
  assert.equal(parseConfig([], { COSLOCAL_IN_MEMORY: '1' }).inMemory, true);
  assert.equal(parseConfig(['--in-memory=false'], { COSLOCAL_IN_MEMORY: 'true' }).inMemory, false);
  assert.throws(() => parseConfig([], { COSLOCAL_IN_MEMORY: 'yes' }), UsageError);
});

it('the connection limits: seconds (fractions allowed) by flag or environment, and a positive connection count', () => {
  const defaults = parseConfig([], {});
  assert.equal(defaults.headersTimeoutMs, 60_000);
  assert.equal(defaults.idleTimeoutMs, 120_000);
  assert.equal(parseConfig(['--headers-timeout', '0.5'], {}).headersTimeoutMs, 500);
  assert.equal(parseConfig([], { COSLOCAL_IDLE_TIMEOUT: '30' }).idleTimeoutMs, 30_000);
  assert.equal(parseConfig(['--max-connections', '64'], {}).maxConnections, 64);
  assert.equal(parseConfig([], { COSLOCAL_MAX_CONNECTIONS: '8' }).maxConnections, 8);
  for (const bad of [['--headers-timeout', '0'], ['--idle-timeout', 'soon'], ['--max-connections', '0'], ['--max-connections', '1.5']]) {
    assert.throws(() => parseConfig(bad, {}), UsageError, bad.join(' '));
  }
});

it('--log-level: info by default, by flag or COSLOCAL_LOG_LEVEL, one of the pino levels coslocal writes', () => {
  assert.equal(parseConfig([], {}).logLevel, 'info');
  assert.equal(parseConfig(['--log-level', 'warn'], {}).logLevel, 'warn');
  assert.equal(parseConfig([], { COSLOCAL_LOG_LEVEL: 'debug' }).logLevel, 'debug');
  assert.throws(() => parseConfig(['--log-level', 'verbose'], {}), /bad --log-level verbose: one of debug, info, warn, error, silent/);
});

it('--allow-reset and --test-controls are off by default, on by flag or environment; --clock needs the test controls', () => {
  const defaults = parseConfig([], {});
  assert.deepEqual([defaults.allowReset, defaults.testControls, defaults.clockStart], [false, false, undefined]);
  assert.equal(parseConfig([], { COSLOCAL_ALLOW_RESET: '1' }).allowReset, true);
  assert.equal(parseConfig(['--test-controls'], {}).testControls, true);
  assert.equal(parseConfig(['--test-controls', '--clock', '2030-01-02T03:04:05Z'], {}).clockStart, Date.UTC(2030, 0, 2, 3, 4, 5));
  assert.equal(parseConfig(['--test-controls'], { COSLOCAL_CLOCK: '1700000000000' }).clockStart, 1_700_000_000_000);
  assert.throws(() => parseConfig(['--clock', '2030-01-02T03:04:05Z'], {}), /--clock needs --test-controls/);
  assert.throws(() => parseConfig(['--test-controls', '--clock', 'tomorrow'], {}), /bad --clock tomorrow/);
});

it('--workers: 0 by default, a count of processes; not with --in-memory or --test-controls (per-process state); --node not in memory', () => {
  assert.equal(parseConfig([], {}).workers, 0);
  assert.equal(parseConfig(['--workers', '3'], {}).workers, 3);
  assert.equal(parseConfig([], { COSLOCAL_WORKERS: '2' }).workers, 2);
  assert.throws(() => parseConfig(['--workers=-1'], {}), /bad --workers -1/);
  assert.throws(() => parseConfig(['--workers', 'two'], {}), /bad --workers two/);
  assert.throws(() => parseConfig(['--workers', '2', '--in-memory'], {}), /--workers needs a store the workers can share/);
  assert.throws(() => parseConfig(['--workers', '2', '--test-controls'], {}), /each worker would keep its own clock and fault rules/);
  assert.equal(parseConfig(['--in-memory', '--workers', '0'], {}).workers, 0);
  assert.equal(parseConfig(['--node'], {}).node, true);
  assert.throws(() => parseConfig(['--node', '--in-memory'], {}), /--node needs a store other processes can share/);
  assert.equal(parseConfig([], {}).blobLeaseMs, 60_000);
  assert.equal(parseConfig(['--blob-lease', '0.5'], {}).blobLeaseMs, 500);
});

it('--metadata (or COSLOCAL_METADATA_URL) takes a postgres:// or postgresql:// URL, anything else is a clear error naming no password', () => {
  assert.equal(parseConfig([], {}).metadataUrl, undefined);
  assert.equal(parseConfig(['--metadata', 'postgres://u:p@127.0.0.1:5432/db'], {}).metadataUrl, 'postgres://u:p@127.0.0.1:5432/db');
  assert.equal(parseConfig([], { COSLOCAL_METADATA_URL: 'postgresql://h/db' }).metadataUrl, 'postgresql://h/db');
  assert.equal(parseConfig([], {}).metadataPoolSize, 10);
  assert.equal(parseConfig(['--metadata-pool-size', '3'], {}).metadataPoolSize, 3);
  assert.throws(() => parseConfig(['--metadata-pool-size', '0'], {}), /bad --metadata-pool-size 0/);
  assert.throws(() => parseConfig(['--metadata', 'mysql://u:secret@h/db'], {}), (error: Error) => error instanceof UsageError && /only PostgreSQL/.test(error.message) && !error.message.includes('secret'));
  assert.throws(() => parseConfig(['--metadata', 'u:secret@h/db'], {}), (error: Error) => error instanceof UsageError && !error.message.includes('secret'));
  assert.throws(() => parseConfig(['--metadata', 'postgres://h/db', '--in-memory'], {}), /exclude each other/);
});
