// The website rules as pure functions: index documents, routing-rule order and key replacement, defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorRule, keyPath, prefixRule, redirectedKey, servedKey, websiteOf } from './website.ts';

const SITE = websiteOf({
  IndexDocument: { Suffix: 'index.htm' },
  ErrorDocument: { Key: '404.html' },
  RoutingRules: {
    RoutingRule: [
      { Condition: { KeyPrefixEquals: 'img/old/' }, Redirect: { ReplaceKeyPrefixWith: 'images/' } },
      { Condition: { KeyPrefixEquals: 'img/' }, Redirect: { ReplaceKeyWith: 'gallery.html', URLRedirect: 'Disabled' } },
      { Condition: { HttpErrorCodeReturnedEquals: '403' }, Redirect: { Protocol: 'https', ReplaceKeyWith: 'login.html' } },
    ],
  },
});

describe('website rules', () => {
  it('serves the index document of the root and of each folder', () => {
    assert.equal(servedKey('', SITE), 'index.htm');
    assert.equal(servedKey('a/b/', SITE), 'a/b/index.htm');
    assert.equal(servedKey('a/b', SITE), 'a/b');
  });

  it('takes the first matching prefix rule, replacing the prefix or the whole key', () => {
    const first = prefixRule('img/old/x.png', SITE);
    assert.equal(first && redirectedKey('img/old/x.png', first.redirect), 'images/x.png');
    assert.equal(first?.redirect.status, 301);
    const second = prefixRule('img/y.png', SITE);
    assert.equal(second && redirectedKey('img/y.png', second.redirect), 'gallery.html');
    assert.equal(second?.redirect.status, 302);
    assert.equal(prefixRule('docs/a', SITE), undefined);
  });

  it('matches error rules by status only', () => {
    assert.equal(errorRule(403, SITE)?.redirect.protocol, 'https');
    assert.equal(errorRule(404, SITE), undefined);
  });

  it('keeps the original status of the error document unless told otherwise', () => {
    assert.deepEqual(SITE.errorDocument, { key: '404.html', originalStatus: true });
    assert.equal(SITE.autoAddressing, false);
    assert.equal(SITE.redirectAllToHttps, false);
  });

  it('writes keys as URL paths', () => {
    assert.equal(keyPath('docs/a b/ü?.html'), '/docs/a%20b/%C3%BC%3F.html');
  });
});
