#!/usr/bin/env bash
# Runs cos-python-sdk-v5's own tests (ut/test.py of a checkout of github.com/tencentyun/cos-python-sdk-v5,
# given as the first argument, unmodified) against a fresh coslocal from this tree, then prints pass counts
# by area (summarize.py). Uses Debian's /usr/bin/python3 with python3-pytest python3-requests python3-six
# python3-xmltodict python3-crcmod python3-pycryptodome. The suite addresses the real host names
# <bucket>.cos.<region>.myqcloud.com: HTTP_PROXY sends them to coslocal, which serves proxy requests itself;
# coslocal_cossdk.py makes the SDK use http (see there). It runs in a temporary directory (the suite
# writes its test files to the current one). PYSDK_FAILURES=<file> writes each failure (area, test,
# message), PYSDK_LOG=<file> keeps pytest's log. Extra arguments go to pytest (e.g. -k tagging). Not part of CI.
set -euo pipefail
suite=$(cd "${1:?usage: run.sh <cos-python-sdk-v5 checkout> [pytest args...]}" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../start-coslocal.sh"
start_coslocal "$here/seed.json"

# What ut/test.py reads at import. The seed's account; TEST_CI=false skips the CI (数据万象) tests that
# check it; ERR_HOST, the suite's fault-injecting server, is a closed port; the vector-bucket
# settings name a service coslocal does not serve.
export COS_SECRET_ID=AKIDpysdkMain0000000000000000000001 COS_SECRET_KEY=pysdkMainSecretKey00000000000001
export COS_REGION=ap-guangzhou COS_APPID=1250000000 TRAVIS_FLAG=true TEST_CI=false USE_CREDENTIAL_INST=false
export ERR_HOST=127.0.0.1:1
export COS_VECTORS_BUCKET=vectors-1250000000 COS_VECTORS_BUCKET_FOR_CREATE_DELETE=vectors-tmp-1250000000
export COS_VECTORS_APPID=1250000000 COS_VECTORS_SECRET_ID=$COS_SECRET_ID COS_VECTORS_SECRET_KEY=$COS_SECRET_KEY
export COS_VECTORS_REGION=ap-guangzhou COS_VECTORS_USE_IP=false
export HTTP_PROXY="http://127.0.0.1:$port" NO_PROXY=127.0.0.1,localhost

mkdir "$work/cwd"
cd "$work/cwd"
status=0
PYTHONPATH="$here:$suite" /usr/bin/python3 -m pytest -p coslocal_cossdk -q -p no:cacheprovider --rootdir "$suite" \
  --junitxml="$work/junit.xml" "$suite/ut/test.py" "$@" >"$work/pytest.log" 2>&1 || status=$?
tail -3 "$work/pytest.log"
/usr/bin/python3 "$here/summarize.py" "$work/junit.xml" "${PYSDK_FAILURES:-/dev/null}"
[ -n "${PYSDK_LOG:-}" ] && cp "$work/pytest.log" "$PYSDK_LOG"
# pytest exits 1 when tests fail: that is the measure, not an error of this script.
[ "$status" -le 1 ]
