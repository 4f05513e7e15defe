// PUT/GET/DELETE Bucket DomainCertificate as cos-go-sdk-v5 and cos-python-sdk-v5 send them, signed raw:
// the certificate is checked against its key and the bucket's domains; GET answers its id and validity.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { errorOf, send } from '../helpers/raw.ts';
import { OWNER, startTestServer, SUB, uniqueBucket, type TestIdentity, type TestServer } from '../helpers/server.ts';

// A self-signed certificate for www.example.com and *.example.com, valid for 100 years, its key, and an unrelated key.
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const CERT = fixture('example-com.crt');
const KEY = fixture('example-com.key');
const OTHER_KEY = fixture('other.key');

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const request = (method: string, bucket: string, query: string, body?: string, signAs: TestIdentity = OWNER) =>
  send(server.hostPort, { method, url: `/${bucket}/?${query}`, signAs, ...(body !== undefined && { body }) });

const certificateXml = (domains: string[], key = KEY, cert = CERT, certId = '<CertId>abc123</CertId>') =>
  `<DomainCertificate><CertificateInfo><CertType>CustomCert</CertType><CustomCert>${certId}<Cert>${cert}</Cert><PrivateKey>${key}</PrivateKey></CustomCert></CertificateInfo><DomainList>${domains.map((d) => `<DomainName>${d}</DomainName>`).join('')}</DomainList></DomainCertificate>`;

/** A bucket with custom domains www.example.com, img.example.com and www.other.org. */
async function newBucket(): Promise<string> {
  const Bucket = uniqueBucket();
  await server.sdk(OWNER).putBucket({ Bucket, Region: server.region });
  const DomainRule = ['www.example.com', 'img.example.com', 'www.other.org'].map((Name) => ({ Status: 'ENABLED', Name, Type: 'REST' }));
  await server.sdk(OWNER).putBucketDomain({ Bucket, Region: server.region, DomainRule } as COS.PutBucketDomainParams);
  return Bucket;
}

describe('Bucket DomainCertificate', () => {
  it('binds a certificate to domains; GET answers its id and validity per domain; DELETE unbinds one', async () => {
    const bucket = await newBucket();
    assert.equal((await request('PUT', bucket, 'domaincertificate', certificateXml(['www.example.com', 'IMG.example.com']))).status, 200);
    const { validFrom, validTo } = new X509Certificate(CERT);
    const got = await request('GET', bucket, 'domaincertificate&domainname=img.example.com');
    assert.equal(got.status, 200);
    assert.deepEqual(got.xml?.['DomainCertificate'], {
      Status: 'ENABLED',
      CertificateInfo: { CertId: 'abc123', ValidityBegin: String(Date.parse(validFrom) / 1000), ValidityExpire: String(Date.parse(validTo) / 1000) },
    });
    assert.doesNotMatch(got.text, /PRIVATE KEY/);
    assert.equal((await request('DELETE', bucket, 'domaincertificate&domainname=img.example.com')).status, 204);
    assert.equal(errorOf(await request('GET', bucket, 'domaincertificate&domainname=img.example.com')).Code, 'NoSuchDomainCertificate');
    assert.equal((await request('GET', bucket, 'domaincertificate&domainname=www.example.com')).status, 200, 'the other domain keeps its certificate');
    assert.equal((await request('DELETE', bucket, 'domaincertificate&domainname=img.example.com')).status, 204, 'again: still 204');
  });

  const refused: [string, (bucket: string) => [string, string, string?], string][] = [
    ['a domain the bucket does not have', () => ['PUT', 'domaincertificate', certificateXml(['api.example.com'])], 'InvalidArgument'],
    ['a domain the certificate does not cover', () => ['PUT', 'domaincertificate', certificateXml(['www.other.org'])], 'InvalidArgument'],
    ['a key that is not the certificate\'s', () => ['PUT', 'domaincertificate', certificateXml(['www.example.com'], OTHER_KEY)], 'InvalidArgument'],
    ['text that is no certificate', () => ['PUT', 'domaincertificate', certificateXml(['www.example.com'], KEY, 'not a certificate')], 'InvalidArgument'],
    ['another CertType', () => ['PUT', 'domaincertificate', certificateXml(['www.example.com']).replace('>CustomCert</CertType>', '>SslCert</CertType>')], 'MalformedXML'],
    ['no DomainList', () => ['PUT', 'domaincertificate', certificateXml([]).replace('<DomainList></DomainList>', '')], 'MalformedXML'],
    ['GET without domainname', () => ['GET', 'domaincertificate'], 'InvalidArgument'],
    ['DELETE without domainname', () => ['DELETE', 'domaincertificate'], 'InvalidArgument'],
  ];
  for (const [what, build, code] of refused) {
    it(`refuses ${what}: ${code}`, async () => {
      const bucket = await newBucket();
      const [method, query, body] = build(bucket);
      const res = await request(method, bucket, query, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(errorOf(res).Code, code);
      assert.equal(errorOf(await request('GET', bucket, 'domaincertificate&domainname=www.example.com')).Code, 'NoSuchDomainCertificate', 'nothing bound');
    });
  }

  it('a sub-account needs a bucket policy naming Put/GetBucketDomainCertificate; a missing bucket is NoSuchBucket to its would-be owner', async () => {
    const bucket = await newBucket();
    const body = certificateXml(['www.example.com']);
    assert.equal((await request('PUT', bucket, 'domaincertificate', body, SUB)).status, 403);
    const Policy = {
      version: '2.0',
      statement: [
        {
          principal: { qcs: [`qcs::cam::uin/${OWNER.uin}:uin/${SUB.uin}`] },
          effect: 'allow',
          action: ['name/cos:PutBucketDomainCertificate', 'name/cos:GetBucketDomainCertificate'],
          resource: [`qcs::cos:${server.region}:uid/${OWNER.appid}:${bucket}/*`],
        },
      ],
    } as COS.PutBucketPolicyParams['Policy'];
    await server.sdk(OWNER).putBucketPolicy({ Bucket: bucket, Region: server.region, Policy });
    assert.equal((await request('PUT', bucket, 'domaincertificate', body, SUB)).status, 200);
    assert.equal((await request('GET', bucket, 'domaincertificate&domainname=www.example.com', undefined, SUB)).status, 200);
    assert.equal((await request('DELETE', bucket, 'domaincertificate&domainname=www.example.com', undefined, SUB)).status, 403);
    assert.equal(errorOf(await request('PUT', uniqueBucket(), 'domaincertificate', body)).Code, 'NoSuchBucket');
  });
});
