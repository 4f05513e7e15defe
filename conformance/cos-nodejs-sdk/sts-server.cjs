// The suite's `nodejssdkStsUrl` service (what the SDK's docs have users run beside it): `GET /sts` hands
// out a temporary key from coslocal's admin endpoint, limited by a session policy to the suite's
// `nodejs-sdk/test/` prefix (its "没有权限" test expects a write elsewhere to fail); `GET /uploadSign`
// hands out a PUT Object signature for `1.txt`. Signs with the checkout's own COS.getAuthorization.
// Usage: node sts-server.cjs <sdk checkout> <coslocal port>; prints its port, serves until killed.
'use strict';
const http = require('node:http');
const path = require('node:path');

const [checkout, coslocalPort] = process.argv.slice(2);
const COS = require(path.join(checkout, 'index.js'));
const { SecretId, SecretKey, Bucket, Region } = process.env;
const appid = Bucket.slice(Bucket.lastIndexOf('-') + 1);

const sessionPolicy = {
  version: '2.0',
  statement: [
    {
      effect: 'allow',
      action: ['name/cos:*'],
      resource: [`qcs::cos:${Region}:uid/${appid}:${Bucket}/nodejs-sdk/test/*`],
    },
  ],
};

function sign(method, pathname, host) {
  return COS.getAuthorization({ SecretId, SecretKey, Method: method, Pathname: pathname, Headers: { host } });
}

function temporaryKey() {
  const host = `127.0.0.1:${coslocalPort}`;
  const pathname = '/_coslocal/v1/temporary-keys';
  const body = JSON.stringify({ durationSeconds: 1800, policy: sessionPolicy });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: coslocalPort, method: 'POST', path: pathname,
        headers: { host, authorization: sign('post', pathname, host), 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
      },
    );
    req.on('error', reject).end(body);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/sts') {
      res.setHeader('content-type', 'application/json').end(await temporaryKey());
    } else if (req.url === '/uploadSign') {
      const PutObject = sign('put', '/1.txt', `${Bucket}.cos.${Region}.myqcloud.com`);
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ signMap: { PutObject } }));
    } else {
      res.writeHead(404).end();
    }
  } catch (error) {
    res.writeHead(502).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
