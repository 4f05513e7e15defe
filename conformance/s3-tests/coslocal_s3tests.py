"""pytest plugin that adapts ceph s3-tests to COS bucket naming without editing the suite.

COS bucket names end in the owner's APPID (`<name>-<appid>`); s3-tests names its buckets
`<prefix><counter>`. Loaded with `-p coslocal_s3tests`, before the test modules are imported, it
wraps s3tests.functional.get_new_bucket_name so that every name gets the main account's suffix.
Buckets the suite creates with the alt or tenant account then carry the wrong APPID and are
refused, as COS refuses them: those tests are counted as failures of that class.

It also deselects the object-lock tests: run.sh leaves object lock out (a later issue) by the
`object_lock` marker, which s3-tests declares in pytest.ini but puts on none of its tests.
"""
import os

import s3tests.functional as functional

APPID = os.environ.get('COSLOCAL_S3TESTS_APPID', '1250000000')
_original = functional.get_new_bucket_name


def get_new_bucket_name():
    return '{}-{}'.format(_original(), APPID)


functional.get_new_bucket_name = get_new_bucket_name


# Tests of a feature run.sh excludes whose marker s3-tests does not apply, recognised by name.
UNMARKED_EXCLUDED = ('test_object_lock_',)


def pytest_collection_modifyitems(config, items):
    dropped = [item for item in items if item.name.startswith(UNMARKED_EXCLUDED)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.name.startswith(UNMARKED_EXCLUDED)]
