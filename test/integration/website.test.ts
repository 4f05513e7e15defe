// The static website endpoint (`<bucket>.cos-website.<region>.myqcloud.com`), configured through
// cos-nodejs-sdk-v5 and driven with raw browser-like requests: index documents per folder, AutoAddressing,
// routing-rule redirects, the error document with its status, HTML errors, and nothing for private buckets.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type RawResponse } from '../helpers/raw.ts';
import { startTestServer, uniqueBucket, type TestServer } from '../helpers/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const PAGES: Record<string, string> = {
  'index.html': '<h1>home</h1>',
  'docs/index.html': '<h1>docs</h1>',
  'docs/guide.html': '<h1>guide</h1>',
  'about.html': '<h1>about</h1>',
  'error.html': '<h1>lost?</h1>',
};

/** A bucket with the pages above, the given ACL and website configuration (none when undefined). */
async function site(WebsiteConfiguration: Record<string, unknown> | undefined, ACL: 'public-read' | 'private' = 'public-read'): Promise<string> {
  const Bucket = uniqueBucket();
  const cos = server.sdk();
  const Region = server.region;
  await cos.putBucket({ Bucket, Region, ACL });
  for (const [Key, Body] of Object.entries(PAGES)) await cos.putObject({ Bucket, Region, Key, Body, ContentType: 'text/html' });
  if (WebsiteConfiguration) await cos.putBucketWebsite({ Bucket, Region, WebsiteConfiguration: WebsiteConfiguration as never });
  return Bucket;
}

const host = (Bucket: string): string => `${Bucket}.cos-website.${server.region}.myqcloud.com`;
const browse = (Bucket: string, url: string, method = 'GET'): Promise<RawResponse> => send(server.hostPort, { method, url, host: host(Bucket) });

function assertHtmlError(res: RawResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(res.text, new RegExp(`<li>Code: ${code}</li>`));
  assert.ok(res.text.includes(`<li>RequestId: ${String(res.headers['x-cos-request-id'])}</li>`), res.text);
}

const FULL = {
  IndexDocument: { Suffix: 'index.html' },
  ErrorDocument: { Key: 'error.html', OriginalHttpStatus: 'Enabled' },
  AutoAddressing: { Status: 'Enabled' },
  RoutingRules: [{ Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'docs/' } }],
};

describe('static website endpoint', () => {
  it('serves index documents for the root and each folder, and redirects a folder named without its slash', async () => {
    const Bucket = await site(FULL);
    const root = await browse(Bucket, '/');
    assert.equal(root.status, 200, root.text);
    assert.equal(root.text, PAGES['index.html']);
    assert.equal(root.headers['content-type'], 'text/html');
    assert.equal((await browse(Bucket, '/docs/')).text, PAGES['docs/index.html']);
    const folder = await browse(Bucket, '/docs');
    assert.equal(folder.status, 302);
    assert.equal(folder.headers['location'], `http://${host(Bucket)}/docs/`);
    const head = await browse(Bucket, '/docs/', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(PAGES['docs/index.html'] ?? '')));
    assert.equal(head.text, '');
  });

  it('AutoAddressing finds page.html for /page', async () => {
    const Bucket = await site(FULL);
    assert.equal((await browse(Bucket, '/about')).text, PAGES['about.html']);
  });

  it('redirects by KeyPrefixEquals, keeping the rest of the key', async () => {
    const Bucket = await site(FULL);
    const res = await browse(Bucket, '/old/guide.html');
    assert.equal(res.status, 301);
    assert.equal(res.headers['location'], `http://${host(Bucket)}/docs/guide.html`);
  });

  it('answers a missing page with the error document and its original status, or 200 with OriginalHttpStatus Disabled', async () => {
    const Bucket = await site(FULL);
    const res = await browse(Bucket, '/nope.html');
    assert.equal(res.status, 404);
    assert.equal(res.text, PAGES['error.html']);
    const disabled = await site({ ...FULL, ErrorDocument: { Key: 'error.html', OriginalHttpStatus: 'Disabled' } });
    const ok = await browse(disabled, '/nope.html');
    assert.equal(ok.status, 200);
    assert.equal(ok.text, PAGES['error.html']);
  });

  it('HttpErrorCodeReturnedEquals redirects an error before the error document; URLRedirect Disabled is 302', async () => {
    const Bucket = await site({
      ...FULL,
      RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { Protocol: 'https', ReplaceKeyWith: 'index.html', URLRedirect: 'Disabled' } }],
    });
    const res = await browse(Bucket, '/gone/page.html');
    assert.equal(res.status, 302);
    assert.equal(res.headers['location'], `https://${host(Bucket)}/index.html`);
  });

  it('RedirectAllRequestsTo sends every request to https', async () => {
    const Bucket = await site({ IndexDocument: { Suffix: 'index.html' }, RedirectAllRequestsTo: { Protocol: 'https' } });
    const res = await browse(Bucket, '/docs/guide.html');
    assert.equal(res.status, 301);
    assert.equal(res.headers['location'], `https://${host(Bucket)}/docs/guide.html`);
  });

  it('answers HTML errors: a missing page without an error document, no configuration, a write', async () => {
    const Bucket = await site({ IndexDocument: { Suffix: 'index.html' } });
    assertHtmlError(await browse(Bucket, '/nope.html'), 404, 'NoSuchKey');
    assertHtmlError(await browse(await site(undefined), '/'), 404, 'NoSuchWebsiteConfiguration');
    assertHtmlError(await browse(Bucket, '/index.html', 'PUT'), 405, 'MethodNotAllowed');
    assert.equal((await server.sdk().getObject({ Bucket, Region: server.region, Key: 'index.html' })).Body.toString(), PAGES['index.html']);
  });

  it('a private bucket serves nothing, and answers as a bucket that does not exist', async () => {
    const Bucket = await site(FULL, 'private');
    const privateRoot = await browse(Bucket, '/');
    assertHtmlError(privateRoot, 403, 'AccessDenied');
    assert.ok(!privateRoot.text.includes('home'));
    assertHtmlError(await browse(Bucket, '/nope.html'), 403, 'AccessDenied');
    assertHtmlError(await browse(uniqueBucket(), '/'), 403, 'AccessDenied');
  });

  it('hotlink protection applies to website pages too', async () => {
    const Bucket = await site(FULL);
    await server.sdk().putBucketReferer({
      Bucket,
      Region: server.region,
      RefererConfiguration: { Status: 'Enabled', RefererType: 'White-List', DomainList: { Domains: ['*.example.com'] }, EmptyReferConfiguration: 'Allow' },
    });
    const refused = await send(server.hostPort, { method: 'GET', url: '/', host: host(Bucket), headers: { referer: 'https://hotlinker.net/' } });
    assertHtmlError(refused, 403, 'AccessDenied');
    assert.ok(refused.text.includes('You are denied by bucket referer rule'));
    assert.ok(!refused.text.includes('home') && !refused.text.includes('lost?'), 'neither the page nor the error document');
    assert.equal((await browse(Bucket, '/')).text, PAGES['index.html']);
  });
});
