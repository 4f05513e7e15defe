// CORS rule matching as tables: wildcards, first match wins, methods, requested headers, response headers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actualCorsHeaders, corsHeaders, findCorsRule, requestedHeaders, wildcardMatch, type CorsConfiguration, type CorsRule } from './cors.ts';

const rule = (r: Partial<CorsRule> & Pick<CorsRule, 'allowedOrigins' | 'allowedMethods'>): CorsRule => ({ allowedHeaders: [], exposeHeaders: [], ...r });

describe('wildcardMatch', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'https://a.example.com', true],
    ['https://*.example.com', 'https://a.example.com', true],
    ['https://*.example.com', 'https://a.b.example.com', true],
    ['https://*.example.com', 'https://example.com', false],
    ['https://*.example.com', 'http://a.example.com', false],
    ['http://localhost:*', 'http://localhost:3000', true],
    ['https://app.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'https://app.example.com.evil.io', false],
    ['x-cos-meta-*', 'x-cos-meta-author', true],
    ['x-cos-meta-*', 'x-cos-acl', false],
    ['ab*ba', 'aba', false],
  ];
  for (const [pattern, value, expected] of cases) it(`${pattern} ~ ${value} -> ${expected}`, () => assert.equal(wildcardMatch(pattern, value), expected));
});

const config: CorsConfiguration = {
  responseVary: false,
  rules: [
    rule({ id: 'uploads', allowedOrigins: ['https://*.example.com'], allowedMethods: ['PUT', 'POST'], allowedHeaders: ['content-type', 'x-cos-meta-*'], exposeHeaders: ['ETag'], maxAgeSeconds: 600 }),
    rule({ id: 'reads', allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: ['*'] }),
  ],
};

describe('findCorsRule', () => {
  const cases: Array<[string, string, string[], string | undefined]> = [
    ['https://app.example.com', 'PUT', ['content-type', 'x-cos-meta-a'], 'uploads'],
    ['https://app.example.com', 'PUT', ['authorization'], undefined],
    ['https://app.example.com', 'GET', ['range'], 'reads'],
    ['https://other.io', 'PUT', [], undefined],
    ['https://other.io', 'HEAD', [], 'reads'],
    ['https://app.example.com', 'DELETE', [], undefined],
    ['https://APP.example.com', 'POST', [], 'uploads'],
    ['https://app.example.com', 'get', [], undefined],
  ];
  for (const [origin, method, headers, expected] of cases) {
    it(`${method} from ${origin} [${headers.join(',')}] -> ${expected ?? 'none'}`, () => {
      assert.equal(findCorsRule(config, { origin, method, headers })?.id, expected);
    });
  }
  it('the first matching rule wins', () => {
    const both: CorsConfiguration = { responseVary: false, rules: [rule({ id: 'a', allowedOrigins: ['*'], allowedMethods: ['GET'] }), rule({ id: 'b', allowedOrigins: ['*'], allowedMethods: ['GET'], maxAgeSeconds: 5 })] };
    assert.equal(findCorsRule(both, { origin: 'https://x', method: 'GET', headers: [] })?.id, 'a');
  });
});

describe('response headers', () => {
  it('a specific origin is echoed with credentials, as in COS example 1', () => {
    const request = { origin: 'https://app.example.com', method: 'PUT', headers: requestedHeaders('Content-Type, x-cos-meta-author') };
    const matched = findCorsRule(config, request);
    assert.ok(matched);
    assert.deepEqual(corsHeaders(config, matched, request, true), {
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'PUT,POST',
      'access-control-allow-headers': 'content-type,x-cos-meta-author',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
    });
  });
  it('a * rule answers *, as in COS example 2', () => {
    assert.deepEqual(actualCorsHeaders(config, 'https://other.io', 'GET'), {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,HEAD',
    });
  });
  it('no rule: no headers; ResponseVary adds Vary', () => {
    assert.deepEqual(actualCorsHeaders(config, 'https://other.io', 'PUT'), {});
    assert.equal(actualCorsHeaders({ ...config, responseVary: true }, 'https://other.io', 'GET')['vary'], 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  });
  it('requested header lists are trimmed, lower-cased, empty items dropped', () => {
    assert.deepEqual(requestedHeaders(' Range ,,X-COS-Meta-A '), ['range', 'x-cos-meta-a']);
    assert.deepEqual(requestedHeaders(undefined), []);
  });
});
