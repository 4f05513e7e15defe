// Hotlink protection verdicts, table-driven: prefix matches, wildcards, schemes, ports, empty referers, both lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cannedGrants } from '../domain/acl.ts';
import type { RefererRule } from '../domain/configs/referer.ts';
import { ANONYMOUS, type Principal } from '../domain/identity.ts';
import { decide, type BucketFacts, type RefererFacts } from './decide.ts';
import { judgeReferer } from './referer.ts';

const white = (domains: string[], emptyReferer: RefererRule['emptyReferer'] = 'Deny'): RefererRule => ({ list: 'White-List', domains, emptyReferer, checkSignedUrls: false });
const black = (domains: string[], emptyReferer: RefererRule['emptyReferer'] = 'Deny'): RefererRule => ({ list: 'Black-List', domains, emptyReferer, checkSignedUrls: false });

const CASES: Array<[name: string, rule: RefererRule, referer: string | undefined, allowed: boolean]> = [
  // The examples of COS's console guide (设置防盗链).
  ['a domain matches the addresses it prefixes', white(['www.example.com']), 'https://www.example.com/123', true],
  ['... including a longer host name', white(['www.example.com']), 'http://www.example.com.cn/', true],
  ['... and its host with a port', white(['example.com']), 'https://example.com:8080/a.html', true],
  ['a domain with a port does not match the host without it', white(['example.com:8080']), 'https://example.com/a.html', false],
  ['an IP with a port', white(['10.10.10.10:8080']), 'http://10.10.10.10:8080/page', true],
  ['a domain with a path', white(['www.qq.com/example']), 'https://www.qq.com/example/page.html', true],
  ['... not another path', white(['www.qq.com/example']), 'https://www.qq.com/other', false],
  ['*. matches subdomains at any depth', white(['*.example.com']), 'https://a.b.example.com/x', true],
  ['*. does not reach into the path', white(['*.example.com']), 'https://evil.com/a.example.com', false],
  ['*. needs the dot', white(['*.example.com']), 'https://badexample.com/', false],
  ['a scheme in the rule is ignored', white(['https://example.com']), 'http://example.com/', true],
  ['case does not matter', white(['WWW.Example.com']), 'HTTPS://www.EXAMPLE.com/', true],
  ['an unlisted referer is refused by a white list', white(['*.qq.com', 'example.com']), 'https://hotlinker.net/', false],
  ['an unlisted referer passes a black list', black(['*.evil.com']), 'https://example.com/', true],
  ['a listed referer is refused by a black list', black(['*.evil.com']), 'https://cdn.evil.com/page', false],
  ['no Referer: EmptyReferConfiguration Deny (the default)', white(['example.com']), undefined, false],
  ['no Referer: EmptyReferConfiguration Allow', white(['example.com'], 'Allow'), undefined, true],
  ['an empty Referer is no Referer', black(['evil.com']), ' ', false],
  ['no Referer on a black list with Allow', black(['evil.com'], 'Allow'), '', true],
];

describe('judgeReferer', () => {
  for (const [name, rule, referer, allowed] of CASES) {
    it(name, () => {
      const verdict = judgeReferer(rule, referer);
      assert.equal(verdict.allowed, allowed, verdict.reason);
    });
  }

  it('names the deciding rule', () => {
    assert.equal(judgeReferer(black(['a.com', '*.evil.com']), 'https://x.evil.com/').reason, 'Referer "https://x.evil.com/" matches Black-List domain *.evil.com');
    assert.equal(judgeReferer(white(['a.com']), undefined).reason, 'the request has no Referer and EmptyReferConfiguration is Deny');
  });
});

describe('decide() with hotlink protection', () => {
  const OWNER_UIN = '100000000001';
  const OWNER: Principal = { kind: 'user', ownerUin: OWNER_UIN, uin: OWNER_UIN, appid: '1250000000', secretId: 'AKIDowner' };
  const rule: RefererRule = { ...white(['*.example.com']), checkSignedUrls: false };
  const bucket = (referer: RefererRule, canned: 'public-read' | 'private'): BucketFacts => ({
    name: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    appid: '1250000000',
    ownerUin: OWNER_UIN,
    acl: { grants: cannedGrants(canned, OWNER_UIN), canned },
    policy: undefined,
    referer,
  });
  const read = (principal: Principal, b: BucketFacts, referer: RefererFacts) => decide({ principal, action: 'name/cos:GetObject', bucket: b, key: 'a.png', referer });
  const HOTLINK: RefererFacts = { value: 'https://hotlinker.net/', signature: 'none' };

  it('refuses an unsigned read the ACL allows, naming the rule', () => {
    const decision = read(ANONYMOUS, bucket(rule, 'public-read'), HOTLINK);
    assert.deepEqual(decision, {
      effect: 'deny',
      explicit: true,
      layer: 'referer',
      reason: 'hotlink protection of examplebucket-1250000000: Referer "https://hotlinker.net/" matches no domain of the White-List',
    });
  });

  it('lets a listed referer through, saying so', () => {
    const decision = read(ANONYMOUS, bucket(rule, 'public-read'), { value: 'https://www.example.com/page', signature: 'none' });
    assert.equal(decision.effect, 'allow');
    assert.match(decision.reason, /matches White-List domain \*\.example\.com$/);
  });

  it('leaves a caller the permissions deny with the plain deny', () => {
    const decision = read(ANONYMOUS, bucket(rule, 'private'), HOTLINK);
    assert.equal(decision.effect === 'deny' && decision.layer, 'acl');
  });

  it('does not check header-signed requests, nor presigned URLs unless VerifySignatureURL is Allow', () => {
    assert.equal(read(OWNER, bucket(rule, 'private'), { ...HOTLINK, signature: 'header' }).effect, 'allow');
    assert.equal(read(OWNER, bucket(rule, 'private'), { ...HOTLINK, signature: 'url' }).effect, 'allow');
    assert.equal(read(OWNER, bucket({ ...rule, checkSignedUrls: true }, 'private'), { ...HOTLINK, signature: 'url' }).effect, 'deny');
    assert.equal(read(OWNER, bucket({ ...rule, checkSignedUrls: true }, 'private'), { ...HOTLINK, signature: 'header' }).effect, 'allow');
  });
});
