// The start-up banner: the endpoint and the SDK's Ip as a client must write them, IPv6 hosts in brackets.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { banner } from './banner.ts';
import { parseConfig } from './config.ts';

const credential = { secretId: 'AKIDbanner', secretKey: 'bannerKey', ownerUin: '100000000001', uin: '100000000001' };

it('prints an IPv6 host in brackets, in the endpoint and in the SDK configuration', () => {
  const text = banner(parseConfig(['--host', '::1'], {}), 9000, credential);
  assert.match(text, /^coslocal listening on http:\/\/\[::1\]:9000 /);
  assert.match(text, /\n {2}Ip: '\[::1\]:9000',\n/);
});

it('prints an IPv4 host or a name as it is', () => {
  assert.match(banner(parseConfig(['--host', '127.0.0.1'], {}), 9000, credential), /http:\/\/127\.0\.0\.1:9000 [\s\S]*Ip: '127\.0\.0\.1:9000'/);
  assert.match(banner(parseConfig(['--host', 'localhost'], {}), 9001, credential), /http:\/\/localhost:9001 [\s\S]*Ip: 'localhost:9001'/);
});
