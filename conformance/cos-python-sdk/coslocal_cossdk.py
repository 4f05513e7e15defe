"""pytest plugin that runs cos-python-sdk-v5's own ut/test.py, unmodified, against coslocal.

- The SDK imports pycryptodome as `Crypto` (its PyPI name); Debian's python3-pycryptodome installs the
  same library as `Cryptodome` only. `Crypto` is made to name it.
- CosConfig defaults to https; coslocal serves plain HTTP, reached through HTTP_PROXY, which the SDK's
  `requests` honours. Every CosConfig the suite makes defaults to `Scheme='http'` (a documented
  setting); a Scheme the suite passes itself still wins.
- The suite is written for nose, which calls the module's `setUp()` (creating the test buckets and
  objects) before its first test; pytest does not know that name, so this plugin calls it.
"""
import importlib
import importlib.abc
import importlib.util
import sys

import pytest


class _CryptoAsCryptodome(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `Crypto` and `Crypto.X.Y` as the modules `Cryptodome` and `Cryptodome.X.Y`."""

    def find_spec(self, name, path=None, target=None):
        if name != 'Crypto' and not name.startswith('Crypto.'):
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):
        return importlib.import_module('Cryptodome' + spec.name[len('Crypto'):])

    def exec_module(self, module):
        pass


if importlib.util.find_spec('Crypto') is None:
    # First: the path finder would otherwise load `Crypto.X` a second time from Cryptodome's files.
    sys.meta_path.insert(0, _CryptoAsCryptodome())

from qcloud_cos import cos_client  # noqa: E402 (after the Crypto alias)

_original_init = cos_client.CosConfig.__init__


def _init_with_http(self, *args, **kwargs):
    kwargs.setdefault('Scheme', 'http')
    _original_init(self, *args, **kwargs)


cos_client.CosConfig.__init__ = _init_with_http


@pytest.fixture(scope='module', autouse=True)
def _nose_module_set_up(request):
    set_up = getattr(request.module, 'setUp', None)
    if callable(set_up):
        set_up()
    yield
