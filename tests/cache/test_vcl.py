"""The VCL's rules one by one, against a scripted backend, with Varnish's own varnishtest.

The scenario is ``newsroom.vtc`` beside this file: a page kept only with Surrogate-Key,
tracking parameters and cookies that cannot split the cache, stale-while-revalidate served
as grace, sessions, CSRF cookies and POSTs passed with their bodies, oversized bodies
refused, static files kept, and PURGE by key only from the ACL (other client addresses
come in through the PROXY protocol).
"""

import subprocess
from pathlib import Path

import pytest

from deploy import serve

pytestmark = pytest.mark.cache

SCENARIO = Path(__file__).with_name("newsroom.vtc")


def test_vcl_keeps_passes_and_purges_as_documented(varnishtest, tmp_path):
    result = subprocess.run(
        [varnishtest, "-q", "-t", "60", "-D", f"vcl={serve.VCL}", str(SCENARIO)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
