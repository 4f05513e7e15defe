// Loaded with `mocha --require` in the SDK checkout. cos-nodejs-sdk-v5 builds https: URLs unless given
// `Protocol`, and the suite constructs its clients without one; coslocal serves plain HTTP (reached through
// HTTP_PROXY, which the SDK's `request` honours). So every client the suite makes defaults to
// `Protocol: 'http:'` - a setting the SDK documents - and nothing else changes; a Protocol the suite
// passes itself still wins.
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
