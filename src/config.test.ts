// The switches of the server configuration: flag, environment twin and default.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, parseConfig } from './config.ts';

it('--allow-unbound-signatures is off by default, on by flag or COSLOCAL_ALLOW_UNBOUND_SIGNATURES, and takes only true/false', () => {
  assert.equal(parseConfig([], {}).allowUnboundSignatures, false);
  assert.equal(parseConfig(['--allow-unbound-signatures'], {}).allowUnboundSignatures, true);
  assert.equal(parseConfig([], { COSLOCAL_ALLOW_UNBOUND_SIGNATURES: '1' }).allowUnboundSignatures, true);
  assert.equal(parseConfig(['--allow-unbound-signatures=false'], { COSLOCAL_ALLOW_UNBOUND_SIGNATURES: '1' }).allowUnboundSignatures, false);
  assert.throws(() => parseConfig(['--allow-unbound-signatures=yes'], {}), ConfigError);
});
