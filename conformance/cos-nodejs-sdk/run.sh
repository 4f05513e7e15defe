#!/usr/bin/env bash
# Runs cos-nodejs-sdk-v5's own test suite (test/test.js of a checkout of github.com/tencentyun/cos-nodejs-sdk-v5,
# given as the first argument, unmodified) against a fresh coslocal from this tree, then prints pass counts
# by the suite's groups. Installs the checkout's dependencies (mocha ...) from the npm registry if missing.
# The suite talks to the real host names <bucket>.cos.<region>.myqcloud.com: HTTP_PROXY sends them to
# coslocal, which serves proxy requests itself; http-default.cjs makes the SDK use http: (see there);
# sts-server.cjs is the temporary-key service the suite expects at $nodejssdkStsUrl.
# NODESDK_FAILURES=<file> writes each failing test and its message, NODESDK_LOG=<file> keeps mocha's
# output. Extra arguments go to mocha (e.g. --grep BucketTagging). Not part of CI.
set -euo pipefail
suite=$(cd "${1:?usage: run.sh <cos-nodejs-sdk-v5 checkout> [mocha args...]}" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../start-coslocal.sh"

[ -x "$suite/node_modules/.bin/mocha" ] || (cd "$suite" && npm install --no-audit --no-fund >&2)
start_coslocal "$here/seed.json"

# The seed's account and bucket.
export SecretId=AKIDnodesdkMain00000000000000000001 SecretKey=nodesdkMainSecretKey000000000001
export Bucket=nodejs-sdk-test-1250000000 Region=ap-guangzhou Uin=100000000001
node "$here/sts-server.cjs" "$suite" "$port" >"$work/sts.port" 2>"$work/sts.log" &
also_stop=$!
for _ in $(seq 50); do
  [ -s "$work/sts.port" ] && break
  sleep 0.1
done
export nodejssdkStsUrl="http://127.0.0.1:$(cat "$work/sts.port")"
export HTTP_PROXY="http://127.0.0.1:$port" NO_PROXY=127.0.0.1,localhost

cd "$suite"
# mocha exits with the number of failures: that is the measure, not an error of this script.
node_modules/.bin/mocha --require "$here/http-default.cjs" --exit --reporter xunit --reporter-options output="$work/report.xml" \
  test/test.js "$@" >"$work/mocha.log" 2>&1 || true
node "$here/summarize.cjs" "$work/report.xml" "${NODESDK_FAILURES:-/dev/null}"
[ -n "${NODESDK_LOG:-}" ] && cp "$work/mocha.log" "$NODESDK_LOG"
[ -s "$work/report.xml" ]
