// Loaded with `mocha --require` in the SDK checkout, so the unmodified suite reaches coslocal:
// - cos-nodejs-sdk-v5 builds https: URLs unless given `Protocol`, and the suite constructs its clients
//   without one; coslocal serves plain HTTP (reached through HTTP_PROXY, which the SDK's `request`
//   honours). So every client the suite makes defaults to `Protocol: 'http:'`, a setting the SDK
//   documents; a Protocol the suite passes itself still wins.
// - The suite fetches presigned URLs with `request({ url, proxy })`, where `proxy` is its own proxy
//   setting, left empty (`var proxy = ''`). To `request` an empty proxy means "none", bypassing
//   HTTP_PROXY; here an empty one means what an absent one does: the environment's.
'use strict';
const path = require('node:path');

const indexPath = require.resolve(path.join(process.cwd(), 'index.js'));
const COS = require(indexPath);

function CosOverHttp(options) {
  COS.call(this, { Protocol: 'http:', ...options });
}
CosOverHttp.prototype = COS.prototype;
Object.setPrototypeOf(CosOverHttp, COS); // COS.getAuthorization, COS.util, COS.version ...
require.cache[indexPath].exports = CosOverHttp;

const { Request } = require(require.resolve('request', { paths: [process.cwd()] }));
const init = Request.prototype.init;
Request.prototype.init = function (options) {
  if (this.proxy === '') delete this.proxy;
  return init.call(this, options);
};
