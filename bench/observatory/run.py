"""Mozilla's HTTP Observatory grade of the production settings, served over TLS.

``make observatory`` runs this:

1. ``npm ci --ignore-scripts`` here: ``@mdn/mdn-http-observatory`` pinned in
   package-lock.json. Its install scripts would download the HSTS preload list and a bundle
   of CA certificates; no script runs, so nothing is downloaded, and an empty preload list
   stands in for the first (``localhost`` is on no preload list anyway).
2. A throwaway certificate for ``localhost`` (``openssl req -x509``, valid two days, in a
   temporary directory), a temporary SQLite database with production settings and nothing
   relaxed (debug off, ``DJANGO_SECURE`` and HSTS at their defaults, a random secret key):
   ``migrate``, ``collectstatic``, ``loaddemo``.
3. gunicorn as ``make serve`` runs it (``deploy/serve.py``'s command, with
   ``deploy/gunicorn.conf.py``), serving TLS itself with that certificate on a free port of
   127.0.0.1 — the deployment where gunicorn faces clients. (Varnish speaks no TLS: in
   production a TLS terminator stands in front of it. Every header graded comes from Django;
   what Varnish strips is tested in ``tests/cache/``.)
4. The scanner's own command line (``src/scan.js``) on ``localhost:PORT``, trusting that
   certificate through ``NODE_EXTRA_CA_CERTS``, as it trusts a real one. Its ``bin/`` wrapper
   is not used: it replaces ``NODE_EXTRA_CA_CERTS`` with its CA bundle.

It prints the grade, the score and each test's result, and exits 1 when the grade is worse
than ``--min-grade`` (A+). The scanner asks for ``https://localhost:PORT/`` and
``http://localhost:PORT/``; the second finds no plain HTTP on a TLS port, which it grades as
"redirection not needed" (no score either way; in production, plain HTTP redirects).

    .venv/bin/python bench/observatory/run.py [--min-grade A+] [--json]
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
from deploy import serve  # noqa: E402

SCANNER = HERE / "node_modules" / "@mdn" / "mdn-http-observatory"
GRADES = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"]
NPM_TIMEOUT = 600
SCAN_TIMEOUT = 120
START_TIMEOUT = 60


def install_scanner() -> None:
    if not (SCANNER / "src" / "scan.js").exists():
        subprocess.run(  # noqa: S603
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],  # noqa: S607
            cwd=HERE,
            check=True,
            timeout=NPM_TIMEOUT,
        )
    preload = SCANNER / "conf" / "hsts-preload.json"
    if not preload.exists():
        preload.write_text("{}\n")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "localhost.pem", directory / "localhost-key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return certificate, key


def production_env(database: Path) -> dict[str, str]:
    """Production settings as documented, nothing relaxed; none of the caller's."""
    env = serve.without_site_settings(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost",
        DATABASE_URL=f"sqlite:///{database}",
        NEWSROOM_SITE_URL="https://localhost",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def wait_until_answering(server: subprocess.Popen, url: str, certificate: Path) -> None:
    context = ssl.create_default_context(cafile=str(certificate))
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, context=context, timeout=5),  # noqa: S310
        ):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s")
        time.sleep(0.2)


def scan(host: str, certificate: Path) -> dict:
    result = subprocess.run(  # noqa: S603
        [shutil.which("node") or "node", str(SCANNER / "src" / "scan.js"), host],
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(certificate)},
        capture_output=True,
        text=True,
        timeout=SCAN_TIMEOUT,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"the scanner said: {result.stdout}{result.stderr}") from None
    if "error" in report:
        raise RuntimeError(f"the scanner failed: {report['error']}")
    return report


def summarise(report: dict) -> str:
    version = json.loads((SCANNER / "package.json").read_text())["version"]
    summary = report["scan"]
    lines = [
        f"MDN HTTP Observatory {version} (algorithm {summary['algorithmVersion']}): "
        f"grade {summary['grade']}, score {summary['score']}, "
        f"{summary['testsPassed']}/{summary['testsQuantity']} tests passed",
    ]
    for name, test in sorted(report["tests"].items()):
        modifier = test.get("scoreModifier", 0)
        mark = "pass" if test.get("pass") else "FAIL"
        lines.append(f"  {mark}  {modifier:+3d}  {name}: {test.get('result')}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-grade", default="A+", choices=GRADES)
    parser.add_argument("--json", action="store_true", help="print the scanner's whole report")
    args = parser.parse_args()

    install_scanner()
    with tempfile.TemporaryDirectory(prefix="observatory-") as temporary:
        directory = Path(temporary)
        certificate, key = make_certificate(directory)
        env = production_env(directory / "db.sqlite3")
        for command in ("migrate --no-input", "collectstatic --no-input", "loaddemo"):
            serve.manage(env, *command.split(), "-v", "0")
        port = serve.free_port()
        command = serve.gunicorn_command(
            f"127.0.0.1:{port}", options=[f"--certfile={certificate}", f"--keyfile={key}"]
        )
        with open(directory / "gunicorn.log", "w+") as log:
            server = subprocess.Popen(  # noqa: S603 (our own arguments)
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                wait_until_answering(server, f"https://localhost:{port}/", certificate)
                report = scan(f"localhost:{port}", certificate)
            except RuntimeError as error:
                log.seek(0)
                print(f"observatory: {error}\n{log.read()[-3000:]}", file=sys.stderr)
                return 1
            finally:
                server.terminate()
                server.wait(timeout=30)

    if args.json:
        print(json.dumps(report, indent=2))
    print(summarise(report))
    grade = report["scan"]["grade"]
    if GRADES.index(grade) > GRADES.index(args.min_grade):
        print(f"observatory: grade {grade} is worse than {args.min_grade}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
