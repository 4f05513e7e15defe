// Table-driven routing: host + path + query + headers -> operation, bucket, key and style.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CosError } from '../errors/cos-error.ts';
import { parseQuery } from '../http/query.ts';
import { OPERATIONS, SUBRESOURCES } from './operations.ts';
import { hostTarget, resolveRoute, signedPaths, type Route, type RoutingConfig, type SignedPaths } from './resolve.ts';

const CONFIG: RoutingConfig = { domains: ['myqcloud.com', 'tencentcos.cn', 'localhost'] };
const VH = 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com';
const B = 'examplebucket-1250000000';
const IP = '127.0.0.1:9000';

interface Case {
  name: string;
  method: string;
  host: string;
  /** Raw path plus optional raw query, as on the wire. */
  url: string;
  headers?: Record<string, string>;
  expect: Omit<Route, 'path'> & { path?: string };
}

function route(method: string, host: string, url: string, headers: Record<string, string> = {}): Route {
  const q = url.indexOf('?');
  return resolveRoute(
    { method, host, rawPath: q < 0 ? url : url.slice(0, q), query: parseQuery(q < 0 ? '' : url.slice(q + 1)), headers },
    CONFIG,
  );
}

const CASES: Case[] = [
  // Virtual-hosted style.
  { name: 'virtual GET / lists the bucket', method: 'GET', host: VH, url: '/', expect: { id: 'GetBucket', bucket: B, style: 'virtual', path: '/' } },
  { name: 'virtual GET with list params', method: 'GET', host: VH, url: '/?prefix=a%2F&delimiter=%2F', expect: { id: 'GetBucket', bucket: B, style: 'virtual' } },
  { name: 'virtual with port', method: 'GET', host: `${VH}:9000`, url: '/a.txt', expect: { id: 'GetObject', bucket: B, key: 'a.txt', style: 'virtual', path: '/a.txt' } },
  { name: 'virtual upper-case host', method: 'GET', host: VH.toUpperCase(), url: '/a.txt', expect: { id: 'GetObject', bucket: B, key: 'a.txt', style: 'virtual' } },
  { name: 'virtual upper-case host with port', method: 'HEAD', host: `${VH.toUpperCase()}:8080`, url: '/', expect: { id: 'HeadBucket', bucket: B, style: 'virtual' } },
  { name: 'cos-internal host', method: 'GET', host: `${B}.cos-internal.ap-guangzhou.tencentcos.cn`, url: '/k', expect: { id: 'GetObject', bucket: B, key: 'k', style: 'virtual' } },
  // The static website endpoint: every GET/HEAD is a page, whatever the path or query names.
  { name: 'website root', method: 'GET', host: `${B}.cos-website.ap-guangzhou.myqcloud.com`, url: '/', expect: { id: 'GetWebsiteObject', bucket: B, key: '', style: 'website', region: 'ap-guangzhou' } },
  { name: 'website page with a query', method: 'HEAD', host: `${B}.cos-website.ap-guangzhou.myqcloud.com:80`, url: '/docs/a.html?acl', expect: { id: 'HeadWebsiteObject', bucket: B, key: 'docs/a.html', style: 'website', region: 'ap-guangzhou' } },
  { name: 'tencentcos.cn host', method: 'PUT', host: `${B}.cos.ap-guangzhou.tencentcos.cn`, url: '/k', expect: { id: 'PutObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'localhost domain with port', method: 'DELETE', host: `${B}.cos.ap-guangzhou.localhost:9000`, url: '/k', expect: { id: 'DeleteObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'accelerate host', method: 'GET', host: `${B}.cos.accelerate.myqcloud.com`, url: '/k', expect: { id: 'GetObject', bucket: B, key: 'k', style: 'virtual', region: 'accelerate' } },
  { name: 'legacy region host', method: 'HEAD', host: `${B}.cn-south.myqcloud.com`, url: '/', expect: { id: 'HeadBucket', bucket: B, style: 'virtual', region: 'ap-guangzhou' } },
  { name: 'virtual decoded key with unicode and spaces', method: 'GET', host: VH, url: '/docs/%E6%8A%A5%E5%91%8A%202024%20%28final%29.txt', expect: { id: 'GetObject', bucket: B, key: 'docs/报告 2024 (final).txt', style: 'virtual', path: '/docs/报告 2024 (final).txt' } },
  { name: 'virtual %2F in key decodes to /', method: 'GET', host: VH, url: '/a%2Fb', expect: { id: 'GetObject', bucket: B, key: 'a/b', style: 'virtual' } },
  { name: 'virtual `+` kept literal in path', method: 'GET', host: VH, url: '/a+b.txt', expect: { id: 'GetObject', bucket: B, key: 'a+b.txt', style: 'virtual', path: '/a+b.txt' } },
  { name: 'virtual PUT / creates bucket', method: 'PUT', host: VH, url: '/', expect: { id: 'PutBucket', bucket: B, style: 'virtual' } },
  { name: 'virtual DELETE / deletes bucket', method: 'DELETE', host: VH, url: '/', expect: { id: 'DeleteBucket', bucket: B, style: 'virtual' } },
  { name: 'virtual HEAD object', method: 'HEAD', host: VH, url: '/k', expect: { id: 'HeadObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'virtual ?location', method: 'GET', host: VH, url: '/?location', expect: { id: 'GetBucketLocation', bucket: B, style: 'virtual' } },
  { name: 'virtual bucket ?acl (Node/Go form)', method: 'GET', host: VH, url: '/?acl', expect: { id: 'GetBucketAcl', bucket: B, style: 'virtual' } },
  { name: 'virtual bucket ?acl= (Python form)', method: 'PUT', host: VH, url: '/?acl=', expect: { id: 'PutBucketAcl', bucket: B, style: 'virtual' } },
  { name: 'virtual object ?acl', method: 'GET', host: VH, url: '/k?acl', expect: { id: 'GetObjectAcl', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'virtual object PUT ?acl with versionId', method: 'PUT', host: VH, url: '/k?acl&versionId=abc', expect: { id: 'PutObjectAcl', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'PUT Object Retention', method: 'PUT', host: VH, url: '/temp.txt?retention', expect: { id: 'PutObjectRetention', bucket: B, key: 'temp.txt', style: 'virtual' } },
  { name: 'GET Object Retention', method: 'GET', host: VH, url: '/temp.txt?retention', expect: { id: 'GetObjectRetention', bucket: B, key: 'temp.txt', style: 'virtual' } },
  { name: 'virtual GET ?versioning', method: 'GET', host: VH, url: '/?versioning', expect: { id: 'GetBucketVersioning', bucket: B, style: 'virtual' } },
  { name: 'virtual PUT ?versioning', method: 'PUT', host: VH, url: '/?versioning', expect: { id: 'PutBucketVersioning', bucket: B, style: 'virtual' } },
  { name: 'virtual GET ?versions with list params', method: 'GET', host: VH, url: '/?versions&prefix=&key-marker=a&version-id-marker=v', expect: { id: 'GetBucketObjectVersions', bucket: B, style: 'virtual' } },
  { name: 'virtual POST ?delete', method: 'POST', host: VH, url: '/?delete', expect: { id: 'DeleteMultipleObjects', bucket: B, style: 'virtual' } },
  { name: 'virtual POST / is a form upload', method: 'POST', host: VH, url: '/', expect: { id: 'PostObject', bucket: B, style: 'virtual' } },
  { name: 'virtual ?cors GET', method: 'GET', host: VH, url: '/?cors', expect: { id: 'GetBucketCors', bucket: B, style: 'virtual' } },
  { name: 'virtual ?cors PUT', method: 'PUT', host: VH, url: '/?cors', expect: { id: 'PutBucketCors', bucket: B, style: 'virtual' } },
  { name: 'virtual ?cors DELETE', method: 'DELETE', host: VH, url: '/?cors', expect: { id: 'DeleteBucketCors', bucket: B, style: 'virtual' } },
  { name: 'GET ?lifecycle', method: 'GET', host: VH, url: '/?lifecycle', expect: { id: 'GetBucketLifecycle', bucket: B, style: 'virtual' } },
  { name: 'path-style PUT ?website', method: 'PUT', host: IP, url: '/b-1?website', expect: { id: 'PutBucketWebsite', bucket: 'b-1', style: 'path' } },
  { name: 'PUT ?object-lock', method: 'PUT', host: VH, url: '/?object-lock', expect: { id: 'PutBucketObjectLock', bucket: B, style: 'virtual' } },
  { name: 'GET ?inventory&id= is one configuration (doc example)', method: 'GET', host: VH, url: '/?inventory&id=list1', expect: { id: 'GetBucketInventory', bucket: B, style: 'virtual' } },
  { name: 'GET ?inventory is the list', method: 'GET', host: VH, url: '/?inventory', expect: { id: 'ListBucketInventory', bucket: B, style: 'virtual' } },
  { name: 'GET ?inventory&continuation-token= is a list page', method: 'GET', host: VH, url: '/?inventory&continuation-token=abc', expect: { id: 'ListBucketInventory', bucket: B, style: 'virtual' } },
  { name: 'PUT ?intelligent-tiering&id= is v2 (doc example)', method: 'PUT', host: VH, url: '/?intelligent-tiering&id=default', expect: { id: 'PutBucketIntelligentTieringV2', bucket: B, style: 'virtual' } },
  { name: 'GET ?intelligent-tiering&id= is one v2 rule', method: 'GET', host: VH, url: '/?intelligent-tiering&id=archive', expect: { id: 'GetBucketIntelligentTieringV2', bucket: B, style: 'virtual' } },
  { name: 'DELETE ?intelligent-tiering&id= removes an archive rule (doc example)', method: 'DELETE', host: VH, url: '/?intelligent-tiering&id=rule1', expect: { id: 'DeleteBucketIntelligentTiering', bucket: B, style: 'virtual' } },
  { name: 'GET ?intelligent-tiering is the v2 list (doc example)', method: 'GET', host: VH, url: '/?intelligent-tiering', expect: { id: 'ListBucketIntelligentTiering', bucket: B, style: 'virtual' } },
  { name: 'DELETE ?inventory&id=', method: 'DELETE', host: VH, url: '/?inventory&id=list1', expect: { id: 'DeleteBucketInventory', bucket: B, style: 'virtual' } },
  { name: 'GET ?domaincertificate&domainname=', method: 'GET', host: VH, url: '/?domaincertificate&domainname=www.example.com', expect: { id: 'GetBucketDomainCertificate', bucket: B, style: 'virtual' } },
  { name: 'OPTIONS on an object (doc example 1)', method: 'OPTIONS', host: VH, url: '/exampleobject', expect: { id: 'OptionsObject', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'OPTIONS /?lifecycle (doc example 3)', method: 'OPTIONS', host: VH, url: '/?lifecycle', expect: { id: 'OptionsObject', bucket: B, style: 'virtual' } },
  { name: 'PUT with x-cos-copy-source is a copy', method: 'PUT', host: VH, url: '/dst.txt', headers: { 'x-cos-copy-source': `${VH}/src.txt` }, expect: { id: 'PutObjectCopy', bucket: B, key: 'dst.txt', style: 'virtual' } },
  { name: 'GET with a presigned URL\'s parameters is GetObject', method: 'GET', host: VH, url: '/k?q-sign-algorithm=sha1&q-ak=AKID&q-url-param-list=&x-cos-security-token=t&X-Amz-Date=x&x-id=GetObject', expect: { id: 'GetObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'GET with response-* params is GetObject', method: 'GET', host: VH, url: '/k?response-content-type=text%2Fplain&versionId=v1', expect: { id: 'GetObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'lower-case method accepted', method: 'get', host: VH, url: '/k', expect: { id: 'GetObject', bucket: B, key: 'k', style: 'virtual' } },
  { name: 'virtual dot segments kept raw', method: 'GET', host: VH, url: '/a/./b/../c', expect: { id: 'GetObject', bucket: B, key: 'a/./b/../c', style: 'virtual', path: '/a/./b/../c' } },

  // Path style on an IP:port host.
  { name: 'path /bucket-125/', method: 'GET', host: IP, url: '/bucket-125/', expect: { id: 'GetBucket', bucket: 'bucket-125', style: 'path', path: '/bucket-125/' } },
  { name: 'path /bucket-125 (no trailing slash)', method: 'GET', host: IP, url: '/bucket-125', expect: { id: 'GetBucket', bucket: 'bucket-125', style: 'path', path: '/bucket-125' } },
  { name: 'path object with encoded space', method: 'GET', host: IP, url: '/bucket-125/a/b%20c.txt', expect: { id: 'GetObject', bucket: 'bucket-125', key: 'a/b c.txt', style: 'path', path: '/bucket-125/a/b c.txt' } },
  { name: 'path PUT bucket', method: 'PUT', host: IP, url: '/bucket-125', expect: { id: 'PutBucket', bucket: 'bucket-125', style: 'path' } },
  { name: 'path POST / is a form upload', method: 'POST', host: IP, url: '/bucket-125/', expect: { id: 'PostObject', bucket: 'bucket-125', style: 'path' } },
  { name: 'path OPTIONS object', method: 'OPTIONS', host: IP, url: '/bucket-125/a/b.txt', expect: { id: 'OptionsObject', bucket: 'bucket-125', key: 'a/b.txt', style: 'path' } },
  { name: 'path POST ?delete', method: 'POST', host: IP, url: '/bucket-125/?delete', expect: { id: 'DeleteMultipleObjects', bucket: 'bucket-125', style: 'path' } },
  { name: 'path ?location', method: 'GET', host: IP, url: '/bucket-125?location', expect: { id: 'GetBucketLocation', bucket: 'bucket-125', style: 'path' } },
  { name: 'path copy', method: 'PUT', host: IP, url: '/bucket-125/d', headers: { 'x-cos-copy-source': 'bucket-125.cos.r.myqcloud.com/s' }, expect: { id: 'PutObjectCopy', bucket: 'bucket-125', key: 'd', style: 'path' } },
  { name: 'path dot segments kept raw', method: 'GET', host: IP, url: '/b-1/a/./b/../c', expect: { id: 'GetObject', bucket: 'b-1', key: 'a/./b/../c', style: 'path', path: '/b-1/a/./b/../c' } },
  { name: 'path `+` kept literal', method: 'PUT', host: IP, url: '/b-1/a+b%2Bc.txt', expect: { id: 'PutObject', bucket: 'b-1', key: 'a+b+c.txt', style: 'path', path: '/b-1/a+b+c.txt' } },
  { name: 'unconfigured domain falls back to path style', method: 'GET', host: `${B}.cos.ap-guangzhou.example.com`, url: '/other-1/k', expect: { id: 'GetObject', bucket: 'other-1', key: 'k', style: 'path' } },
  { name: 'plain localhost (no bucket prefix) is path style', method: 'GET', host: 'localhost:9000', url: '/b-1/k', expect: { id: 'GetObject', bucket: 'b-1', key: 'k', style: 'path' } },

  // APPEND Object (COS API example).
  { name: 'append POST /k?append&position=0', method: 'POST', host: VH, url: '/exampleobject?append&position=0', expect: { id: 'AppendObject', bucket: B, key: 'exampleobject', style: 'virtual' } },

  // Multipart upload (COS API examples).
  { name: 'initiate POST /k?uploads', method: 'POST', host: VH, url: '/exampleobject?uploads', expect: { id: 'InitiateMultipartUpload', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'upload part PUT ?partNumber&uploadId', method: 'PUT', host: VH, url: '/exampleobject?partNumber=1&uploadId=1585130821cbb7df', expect: { id: 'UploadPart', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'upload part copy', method: 'PUT', host: VH, url: '/exampleobject?partNumber=1&uploadId=u', headers: { 'x-cos-copy-source': `${B}.cos.ap-guangzhou.myqcloud.com/src` }, expect: { id: 'UploadPartCopy', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'complete POST ?uploadId', method: 'POST', host: VH, url: '/exampleobject?uploadId=u', expect: { id: 'CompleteMultipartUpload', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'abort DELETE ?uploadId', method: 'DELETE', host: VH, url: '/exampleobject?uploadId=u', expect: { id: 'AbortMultipartUpload', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'list parts GET ?uploadId', method: 'GET', host: VH, url: '/exampleobject?uploadId=u&max-parts=10', expect: { id: 'ListParts', bucket: B, key: 'exampleobject', style: 'virtual' } },
  { name: 'list uploads GET /?uploads', method: 'GET', host: VH, url: '/?uploads&prefix=a&max-uploads=2', expect: { id: 'ListMultipartUploads', bucket: B, style: 'virtual' } },
  { name: 'path list uploads', method: 'GET', host: IP, url: '/bucket-125?uploads=', expect: { id: 'ListMultipartUploads', bucket: 'bucket-125', style: 'path' } },

  // Service endpoint.
  { name: 'service host GET /', method: 'GET', host: 'service.cos.myqcloud.com', url: '/', expect: { id: 'GetService', style: 'service', path: '/' } },
  { name: 'regional service host GET /', method: 'GET', host: 'cos.ap-guangzhou.myqcloud.com', url: '/', expect: { id: 'GetService', style: 'service', region: 'ap-guangzhou' } },
  { name: 'path style on a regional host', method: 'PUT', host: 'cos.ap-chengdu.myqcloud.com', url: '/b-1/k', expect: { id: 'PutObject', bucket: 'b-1', key: 'k', style: 'path', region: 'ap-chengdu' } },
  { name: 'IP host GET /', method: 'GET', host: IP, url: '/', expect: { id: 'GetService', style: 'service' } },
];

describe('resolveRoute table', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.method} ${c.host}${c.url}`, () => {
      const r = route(c.method, c.host, c.url, c.headers);
      const { path, region, ...rest } = c.expect;
      const { path: actualPath, region: actualRegion, ...actual } = r;
      assert.deepEqual(actual, rest);
      if (path !== undefined) assert.equal(actualPath, path);
      // The host's region is checked where a case names one (the hostTarget table covers every form).
      if (region !== undefined) assert.equal(actualRegion, region);
    });
  }
});

interface ErrorCase {
  name: string;
  method: string;
  host: string;
  url: string;
  code: string;
}

const ERRORS: ErrorCase[] = [
  { name: 'reserved ?notification has no route', method: 'GET', host: VH, url: '/?notification', code: 'NotImplemented' },
  { name: 'PUT ?notification has no route', method: 'PUT', host: VH, url: '/?notification', code: 'NotImplemented' },
  { name: 'DELETE ?logging has no route (PUT an empty status turns logging off)', method: 'DELETE', host: VH, url: '/?logging', code: 'NotImplemented' },
  { name: 'DELETE ?intelligenttiering has no route (it cannot be turned off)', method: 'DELETE', host: VH, url: '/?intelligenttiering', code: 'NotImplemented' },
  { name: 'POST on bucket with another subresource', method: 'POST', host: VH, url: '/?lifecycle', code: 'NotImplemented' },
  { name: 'POST /?append on a bucket has no route', method: 'POST', host: VH, url: '/?append&position=0', code: 'NotImplemented' },
  { name: 'OPTIONS on the service', method: 'OPTIONS', host: IP, url: '/', code: 'MethodNotAllowed' },
  { name: 'POST ?uploads on a bucket has no route', method: 'POST', host: VH, url: '/?uploads', code: 'NotImplemented' },
  { name: 'PUT ?partNumber without uploadId has no route', method: 'PUT', host: VH, url: '/k?partNumber=1', code: 'NotImplemented' },
  { name: 'HEAD ?uploadId has no route', method: 'HEAD', host: VH, url: '/k?uploadId=x', code: 'NotImplemented' },
  { name: 'path-style ?notification has no route', method: 'GET', host: IP, url: '/b-1?notification', code: 'NotImplemented' },
  { name: 'POST on object without subresource', method: 'POST', host: VH, url: '/k', code: 'MethodNotAllowed' },
  { name: 'a website endpoint takes no writes', method: 'PUT', host: `${B}.cos-website.ap-guangzhou.myqcloud.com`, url: '/?website', code: 'MethodNotAllowed' },
  // S3's subresources are reserved too: none may fall through to the plain operation.
  { name: 'DELETE ?ownershipControls is not DELETE Bucket', method: 'DELETE', host: VH, url: '/?ownershipControls', code: 'NotImplemented' },
  { name: 'PUT ?analytics is not PUT Bucket', method: 'PUT', host: VH, url: '/?analytics&id=a', code: 'NotImplemented' },
  { name: 'GET ?ownershipControls is not GET Bucket', method: 'GET', host: IP, url: '/b-1?ownershipControls', code: 'NotImplemented' },
  { name: 'GET ?attributes is not GET Object', method: 'GET', host: VH, url: '/k?attributes', code: 'NotImplemented' },
  { name: 'PUT ?legal-hold is not PUT Object', method: 'PUT', host: VH, url: '/k?legal-hold', code: 'NotImplemented' },
  { name: 'GET ?partNumber is not GET Object', method: 'GET', host: VH, url: '/k?partNumber=1', code: 'NotImplemented' },
  { name: 'an implemented subresource does not carry another (?acl&tagging)', method: 'GET', host: VH, url: '/k?acl&tagging', code: 'NotImplemented' },
  { name: 'Complete does not take partNumber', method: 'POST', host: VH, url: '/k?uploadId=u&partNumber=1', code: 'NotImplemented' },
  { name: 'PUT on the service', method: 'PUT', host: IP, url: '/', code: 'MethodNotAllowed' },
  { name: 'PATCH on an object', method: 'PATCH', host: VH, url: '/k', code: 'MethodNotAllowed' },
  { name: 'undecodable path', method: 'GET', host: VH, url: '/%E0%A4%A', code: 'InvalidURI' },
  { name: 'undecodable path, path style', method: 'GET', host: IP, url: '/b-1/%E0%A4%A', code: 'InvalidURI' },
  { name: 'path not starting with /', method: 'GET', host: VH, url: 'k', code: 'InvalidURI' },
];

describe('resolveRoute errors', () => {
  for (const c of ERRORS) {
    it(`${c.name}: ${c.method} ${c.host}${c.url} -> ${c.code}`, () => {
      assert.throws(
        () => route(c.method, c.host, c.url),
        (e: unknown) => e instanceof CosError && e.code === c.code,
      );
    });
  }
  it('NotImplemented is 501, MethodNotAllowed 405, InvalidURI 400', () => {
    const status = (method: string, url: string): number => {
      try {
        route(method, VH, url);
      } catch (e) {
        if (e instanceof CosError) return e.status;
      }
      return 0;
    };
    assert.equal(status('GET', '/?notification'), 501);
    assert.equal(status('POST', '/k'), 405);
    assert.equal(status('GET', '/%E0%A4%A'), 400);
  });
});

describe('signedPaths', () => {
  const cases: Array<[string, string, string, SignedPaths]> = [
    ['path style object: the full path binds, the key-only path does not', IP, '/bucket-125/a/b%20c.txt', { paths: ['/bucket-125/a/b c.txt'], bucketInHost: false, unboundPaths: ['/a/b c.txt'] }],
    ['path style bucket with slash', IP, '/bucket-125/', { paths: ['/bucket-125/'], bucketInHost: false, unboundPaths: ['/'] }],
    ['path style bucket without slash', IP, '/bucket-125', { paths: ['/bucket-125'], bucketInHost: false, unboundPaths: ['/'] }],
    ['virtual style: the path sent, bound through the host', VH, '/a/b%20c.txt', { paths: ['/a/b c.txt'], bucketInHost: true, unboundPaths: [] }],
    ['virtual bucket', VH, '/', { paths: ['/'], bucketInHost: true, unboundPaths: [] }],
    ['service: no bucket to bind', IP, '/', { paths: ['/'], bucketInHost: false, unboundPaths: [] }],
  ];
  for (const [name, host, url, expected] of cases) {
    it(name, () => assert.deepEqual(signedPaths(route('GET', host, url)), expected));
  }
});

describe('hostTarget', () => {
  const cases: Array<[string, ReturnType<typeof hostTarget>]> = [
    [`${B}.cos-website.ap-guangzhou.myqcloud.com`, { bucket: B, region: 'ap-guangzhou', website: true }],
    [VH, { bucket: B, region: 'ap-guangzhou' }],
    [`${VH}:443`, { bucket: B, region: 'ap-guangzhou' }],
    ['EXAMPLEBUCKET-1250000000.COS.AP-GUANGZHOU.MYQCLOUD.COM', { bucket: B, region: 'ap-guangzhou' }],
    [`${B}.cos-internal.ap-shanghai.tencentcos.cn`, { bucket: B, region: 'ap-shanghai' }],
    [`${B}.cos.ap-guangzhou.localhost`, { bucket: B, region: 'ap-guangzhou' }],
    ['cos-python-v5-test-3-11-ap-guangzhou-1250000000.cos.ap-guangzhou.myqcloud.com', { bucket: 'cos-python-v5-test-3-11-ap-guangzhou-1250000000', region: 'ap-guangzhou' }],
    [`${B}.cos.accelerate.myqcloud.com`, { bucket: B, region: 'accelerate' }],
    // A region name the SDKs never send is still the host's region: no bucket lives there.
    [`${B}.cos.gz.myqcloud.com`, { bucket: B, region: 'gz' }],
    // Legacy hosts (no `cos.`), as cos-nodejs-sdk-v5 getUrl builds them for these region names.
    [`${B}.cn-south.myqcloud.com`, { bucket: B, region: 'ap-guangzhou' }],
    [`${B}.cn-south-2.myqcloud.com`, { bucket: B, region: 'ap-guangzhou-2' }],
    [`${B}.cn-north.myqcloud.com`, { bucket: B, region: 'ap-beijing-1' }],
    [`${B}.cn-east.myqcloud.com`, { bucket: B, region: 'ap-shanghai' }],
    [`${B}.cn-southwest.myqcloud.com`, { bucket: B, region: 'ap-chengdu' }],
    [`${B}.sg.myqcloud.com`, { bucket: B, region: 'ap-singapore' }],
    [`${B}.localhost:9000`, { bucket: B }],
    ['cos.ap-beijing.myqcloud.com', { region: 'ap-beijing' }],
    ['cos-internal.ap-beijing.tencentcos.cn', { region: 'ap-beijing' }],
    [`${B}.cos.ap-guangzhou.example.com`, {}],
    [`${B}.cn-south.example.com`, {}],
    ['service.cos.myqcloud.com', {}],
    ['127.0.0.1:9000', {}],
    ['localhost', {}],
  ];
  for (const [host, expected] of cases) it(`${host} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(hostTarget(host, CONFIG), expected));
  it('domains come from the config', () => {
    assert.deepEqual(hostTarget(`${B}.cos.ap-guangzhou.example.com`, { domains: ['example.com'] }), { bucket: B, region: 'ap-guangzhou' });
    assert.deepEqual(hostTarget(VH, { domains: ['example.com'] }), {});
  });
});

describe('operations table', () => {
  it('rows are unique; only OPTIONS shares its id between the bucket and object targets', () => {
    const rows = OPERATIONS.map((o) => `${o.id} ${o.target}`);
    assert.equal(new Set(rows).size, rows.length);
    const shared = OPERATIONS.filter((o, i) => OPERATIONS.findIndex((p) => p.id === o.id) !== i).map((o) => o.id);
    assert.deepEqual(shared, ['OptionsObject']);
  });
  it('every subresource an operation uses is a reserved word', () => {
    for (const op of OPERATIONS) if ('subresource' in op) assert.ok(SUBRESOURCES.has(op.subresource), op.id);
  });
  it('the copy row precedes plain PutObject, subresource rows precede their plain rows', () => {
    const at = (id: string): number => OPERATIONS.findIndex((o) => o.id === id);
    assert.ok(at('PutObjectCopy') < at('PutObject'));
    assert.ok(at('GetBucketAcl') < at('GetBucket'));
    assert.ok(at('GetObjectAcl') < at('GetObject'));
  });
});

it('a path that names a key but no bucket is InvalidURI', () => {
  assert.throws(
    () => resolveRoute({ method: 'GET', host: '127.0.0.1:9000', rawPath: '//k', query: [], headers: {} }, { domains: ['myqcloud.com'] }),
    (e: unknown) => e instanceof CosError && e.code === 'InvalidURI',
  );
});
