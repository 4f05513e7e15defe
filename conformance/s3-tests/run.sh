#!/usr/bin/env bash
# Runs ceph's s3-tests (a checkout of github.com/ceph/s3-tests, given as the first argument) against a
# fresh coslocal from this tree, then prints pass counts by subset (acl, policy, auth, core).
# Uses Debian's /usr/bin/python3 with python3-pytest python3-boto3 python3-munch python3-isodate
# python3-gevent python3-lxml python3-httplib2 python3-yaml python3-tz python3-dateutil.
# Extra arguments go to pytest (e.g. -k test_bucket_list_empty). Not part of CI.
set -euo pipefail
suite=$(cd "${1:?usage: run.sh <s3-tests checkout> [pytest args...]}" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

(cd "$repo" && exec node --import tsx src/cli.ts serve --port "$port" --data-dir "$work/data" --seed "$here/seed.json") >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q 'listening' "$work/server.log" && break
  sleep 0.2
done
sed "s/@PORT@/$port/" "$here/s3tests.conf.in" >"$work/s3tests.conf"

# Features that belong to later issues (lifecycle, encryption, object lock, logging, website, select,
# tagging, ownership controls) and IAM/STS, which COS replaces with CAM, are left out; so are tests
# s3-tests itself marks as failing on AWS S3 (RGW-only behaviour). s3-tests puts its object_lock marker
# on no test: coslocal_s3tests.py leaves those out by name.
exclude='not (fails_on_aws or lifecycle or lifecycle_expiration or lifecycle_transition or encryption
  or sse_s3 or bucket_encryption or object_lock or s3select or s3website or s3website_routing_rules
  or s3website_redirect_location or bucket_logging or bucket_logging_cleanup or sns or test_of_sts
  or webidentity_test or iam_account or iam_cross_account or iam_role or iam_tenant or iam_user
  or role_policy or session_policy or user_policy or group or group_policy or abac_test
  or token_claims_trust_policy_test or token_principal_tag_role_policy_test
  or token_request_tag_trust_policy_test or token_resource_tags_test or token_role_tags_test
  or token_tag_keys_test or cloud_transition or cloud_restore or appendobject or tagging
  or object_ownership or fails_without_logging_rollover)'

cd "$suite"
status=0
S3TEST_CONF="$work/s3tests.conf" PYTHONPATH="$here:$suite" /usr/bin/python3 -m pytest -p coslocal_s3tests -q \
  -p no:cacheprovider --junitxml="$work/junit.xml" -m "$(echo $exclude)" \
  s3tests/functional/test_s3.py s3tests/functional/test_headers.py "$@" >"$work/pytest.log" 2>&1 || status=$?
tail -3 "$work/pytest.log"
/usr/bin/python3 "$here/summarize.py" "$work/junit.xml" "${S3TESTS_FAILURES:-/dev/null}"
[ -n "${S3TESTS_LOG:-}" ] && cp "$work/pytest.log" "$S3TESTS_LOG"
# pytest exits 1 when tests fail: that is the measure, not an error of this script.
[ "$status" -le 1 ]
