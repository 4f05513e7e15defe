// The start-up banner: the endpoint and the SDK's Ip as a client must write them, IPv6 hosts in brackets; where the data is.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { banner } from './banner.ts';
import { parseConfig } from './config.ts';

const credential = { secretId: 'AKIDbanner', secretKey: 'bannerKey', ownerUin: '100000000001', uin: '100000000001' };

it('prints an IPv6 host in brackets, in the endpoint and in the SDK configuration', () => {
  const text = banner(parseConfig(['--host', '::1'], {}), 9000, credential, '/srv/data');
  assert.match(text, /^coslocal listening on http:\/\/\[::1\]:9000 /);
  assert.match(text, /\n {2}Ip: '\[::1\]:9000',\n/);
});

it('prints an IPv4 host or a name as it is', () => {
  assert.match(banner(parseConfig(['--host', '127.0.0.1'], {}), 9000, credential, '/srv/data'), /http:\/\/127\.0\.0\.1:9000 [\s\S]*Ip: '127\.0\.0\.1:9000'/);
  assert.match(banner(parseConfig(['--host', 'localhost'], {}), 9001, credential, '/srv/data'), /http:\/\/localhost:9001 [\s\S]*Ip: 'localhost:9001'/);
});

it('says where the data is: the data directory, or memory', () => {
  const config = parseConfig([], {});
  assert.match(banner(config, 9000, credential, '/srv/data'), /^coslocal listening on \S+ {2}\(data: \/srv\/data, region: ap-guangzhou\)/);
  assert.match(banner(config, 9000, credential, 'in memory, gone at exit'), /^coslocal listening on \S+ {2}\(data: in memory, gone at exit, region/);
});
