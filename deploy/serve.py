"""`make serve`: the production stack on this machine, in one command.

    Varnish (PORT, default 8000)  ->  gunicorn (127.0.0.1, an internal port)  ->  Django
                                      + the email worker (manage.py db_worker)

Varnish, from Debian's ``varnish`` and ``varnish-modules`` packages (installed here with
apt-get when missing and run as root), buffers slow clients, reads request bodies whole
before gunicorn's sync workers see them, and keeps the pages Django marks as public
(``deploy/varnish/newsroom.vcl``). The worker sends the emails the site queues
(``comments/mailing.py``). All three run in the foreground; Ctrl-C or SIGTERM stops them and
everything they started (the worker finishes the email it is sending; the rest wait in the
queue for the next start), and if one of them dies the others are stopped and the exit
status is 1.

On a fresh clone with nothing set it runs as a local trial: a secret key made once and kept
in ``.serve/secret_key`` (mode 0600), the site at http://127.0.0.1:PORT/ over plain HTTP,
the demo article loaded. Setting ``DJANGO_ALLOWED_HOSTS`` means production: nothing is
relaxed, and every variable of README's "Configuration" applies (``DATABASE_URL``,
``REDIS_URL``…). Variables of its own (README, "Deploying"): ``PORT``, ``LISTEN_ADDRESS``,
``WEB_CONCURRENCY``, ``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``, ``VARNISH_SIZE``,
``VARNISH_PURGERS``.

gunicorn reads ``deploy/gunicorn.conf.py`` (no ``Server`` header). Standard library only;
manage.py and gunicorn run from this Python's virtualenv. The tests (``tests/cache/conftest.py``)
and ``bench/pages.py`` start the same stack through ``start_stack()``;
``bench/observatory/run.py`` the same gunicorn through ``gunicorn_command()``.
"""

import contextlib
import ctypes
import hashlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE_DIR = ROOT / ".serve"
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PACKAGES = ("varnish", "varnish-modules")
START_TIMEOUT = 60  # seconds for gunicorn and Varnish to answer
STOP_TIMEOUT = 25  # seconds for a process to stop before it is killed (> graceful-timeout)


# --- Varnish from Debian's packages --------------------------------------------------------


def varnishd_path() -> str | None:
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def has_xkey() -> bool:
    """Is varnish-modules' xkey vmod where Debian's varnishd looks for vmods?"""
    return any(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")) or any(
        Path("/usr/lib").glob("varnish/vmods/libvmod_xkey.so")
    )


def missing_varnish() -> str:
    """Why Varnish cannot run here, or "" when it can."""
    if not varnishd_path():
        return "varnishd is not installed (Debian: apt-get install varnish varnish-modules)"
    if not has_xkey():
        return "the xkey vmod is not installed (Debian: apt-get install varnish-modules)"
    return ""


def ensure_varnish() -> None:
    """Install Debian's varnish and varnish-modules when missing (as root), or say how."""
    if not missing_varnish():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            f"serve: {missing_varnish()}. As root on Debian: "
            "apt-get update && apt-get install varnish varnish-modules"
        )
    print("serve: installing Debian's varnish and varnish-modules ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
    subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "-qq", *PACKAGES],  # noqa: S607
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    if missing_varnish():
        raise SystemExit(f"serve: {missing_varnish()} even after apt-get install")


# --- the environment ---------------------------------------------------------------------


def venv_bin() -> Path:
    here = Path(sys.executable).parent
    return here if (here / "gunicorn").exists() else ROOT / ".venv" / "bin"


def local_secret_key() -> str:
    """A secret key made on first use and kept in .serve/secret_key (mode 0600)."""
    path = SERVE_DIR / "secret_key"
    if not path.exists():
        SERVE_DIR.mkdir(exist_ok=True)
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


def without_site_settings(environ: dict[str, str]) -> dict[str, str]:
    """``environ`` less every setting of the site (``DJANGO_*``, ``NEWSROOM_*``,
    ``DATABASE_*``, ``REDIS_URL``): a server started with it has only the settings it is
    given. For the tests and benches, which must not pick up a developer's own."""
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_")) and name != "REDIS_URL"
    }


def serve_env(environ: dict[str, str], port: int, listen: str) -> tuple[dict[str, str], bool]:
    """The app's environment for ``make serve``, and whether it is a local trial.

    Whatever ``environ`` sets wins; only what it leaves unset is filled in.
    """
    env = dict(environ)
    here = f"http://{public_host(listen)}:{port}"
    trial = not env.get("DJANGO_ALLOWED_HOSTS")
    if not env.get("DJANGO_SECRET_KEY"):
        env["DJANGO_SECRET_KEY"] = local_secret_key()
    if trial:
        env["DJANGO_ALLOWED_HOSTS"] = "localhost,127.0.0.1"
        env.setdefault("DJANGO_SECURE", "0")
        env.setdefault("NEWSROOM_SITE_URL", here)
    # Varnish appends the client's address to X-Forwarded-For: one proxy of ours.
    env.setdefault("NEWSROOM_TRUSTED_PROXIES", "1")
    env.setdefault("NEWSROOM_CACHE_PURGE_URLS", here)
    return env, trial


def public_host(listen: str) -> str:
    """Where this machine reaches Varnish listening on ``listen``."""
    if listen in {"", "0.0.0.0", "::", "[::]"}:  # noqa: S104 (only read, never bound here)
        return "127.0.0.1"
    return f"[{listen}]" if ":" in listen else listen


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [str(venv_bin() / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the stack -----------------------------------------------------------------------------


@dataclass
class Stack:
    """A running gunicorn behind a running varnishd.

    ``varnish_url`` is the site as readers get it, ``gunicorn_url`` the app without the
    cache; ``varnish_dir`` is varnishd's -n directory (``varnishadm -n``, ``varnishlog -n``).
    """

    varnish_url: str
    gunicorn_url: str
    varnish_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def purge(self, *keys: str) -> int:
        """Drop every cached page carrying any of ``keys``; the HTTP status of the answer."""
        return request(self.varnish_url, "PURGE", "/", {"xkey-purge": " ".join(keys)})[0]

    def purge_all(self) -> None:
        """Empty the cache of pages (every cacheable page carries the key ``site``) and of
        everything else (static files) with a ban."""
        assert self.purge("site") == 200
        subprocess.run(  # noqa: S603
            ["varnishadm", "-n", str(self.varnish_dir), "ban", "req.url ~ ."],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=10,
        )

    def died(self) -> str | None:
        """The name of a process that has exited, if any."""
        return next((name for name, p in self.processes.items() if p.poll() is not None), None)

    def wait_until_answering(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        for name, url in (("gunicorn", self.gunicorn_url), ("varnishd", self.varnish_url)):
            while True:
                if self.died():
                    raise RuntimeError(f"{self.died()} exited while starting")
                with contextlib.suppress(OSError):
                    # Whitenoise answers before any host check: no log line either way.
                    request(url, "HEAD", "/static/favicon.svg", timeout=5)
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s")
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM to Varnish, then gunicorn, then the worker, and to whatever each started;
        then SIGKILL."""
        for name in ("varnishd", "gunicorn", "worker"):
            process = self.processes.get(name)
            if process is None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                print(f"serve: {name} did not stop, killing it", file=sys.stderr)
            # Children left behind (a worker, varnish's cache process) go with the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def request(base: str, method: str, path: str, headers=None, timeout: float = 10):
    """(status, headers, body) of one request; stdlib only."""
    host, _, port = base.removeprefix("http://").rpartition(":")
    connection = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _die_with_parent() -> None:
    """In the child: SIGTERM when the process that started it dies (Linux), so that a
    killed supervisor or test run leaves nothing behind."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def varnish_dir_for(run_dir: Path) -> Path:
    """varnishd's working directory, where its user can read it.

    As root, varnishd drops to the ``varnish`` and ``vcache`` users (its Unix jail): they
    must reach the VCL and the directory. A checkout under /root cannot be reached, so then
    the directory goes under /var/lib/varnish (one per checkout).
    """
    if os.geteuid() != 0 or all(p.stat().st_mode & 0o001 for p in (run_dir, *run_dir.parents)):
        return run_dir / "varnish"
    digest = hashlib.sha256(str(run_dir).encode()).hexdigest()[:12]
    return Path("/var/lib/varnish") / f"newsroom-{digest}"


def write_vcl(varnish_dir: Path, backend_port: int, purgers: str) -> Path:
    """The VCL and the two files it includes: the backend and extra purging addresses."""
    varnish_dir.mkdir(parents=True, exist_ok=True, mode=0o755)
    varnish_dir.chmod(0o755)
    (varnish_dir / "backend.vcl").write_text(
        "# Written by deploy/serve.py at each start: the gunicorn it started.\n"
        "backend default {\n"
        '    .host = "127.0.0.1";\n'
        f'    .port = "{backend_port}";\n'
        "    .connect_timeout = 2s;\n"
        "    .first_byte_timeout = 35s;\n"  # gunicorn's --timeout (30 s) answers first
        "    .between_bytes_timeout = 10s;\n"
        "}\n"
    )
    entries = [entry.strip() for entry in purgers.split(",") if entry.strip()]
    (varnish_dir / "purgers.vcl").write_text(
        "# Written by deploy/serve.py at each start from VARNISH_PURGERS.\n"
        + "".join(_acl_entry(entry) for entry in entries)
    )
    # Varnish's users read a copy, wherever the checkout is.
    vcl = varnish_dir / VCL.name
    shutil.copyfile(VCL, vcl)
    for path in varnish_dir.glob("*.vcl"):
        path.chmod(0o644)
    return vcl


def _acl_entry(entry: str) -> str:
    address, _, bits = entry.partition("/")
    if not address or '"' in address or (bits and not bits.isdigit()):
        raise SystemExit(f"serve: VARNISH_PURGERS: {entry!r} is not an address or a network")
    return f'    "{address}"/{bits};\n' if bits else f'    "{address}";\n'


def gunicorn_command(
    bind: str, *, workers: int = 2, threads: int = 1, timeout: int = 30, options=()
) -> list[str]:
    """gunicorn serving the site on ``bind`` with ``deploy/gunicorn.conf.py``; ``options``
    are more of its command-line options (``--certfile=…``)."""
    return [
        str(venv_bin() / "gunicorn"),
        "newsroom.wsgi",
        f"--config={GUNICORN_CONF}",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--timeout={timeout}",
        "--graceful-timeout=20",
        # Only Varnish, on this machine, may say which scheme and client came before it.
        "--forwarded-allow-ips=127.0.0.1,::1",
        "--error-logfile=-",
        "--no-control-socket",  # one per user by default: stacks would fight over it
        *options,
    ]


def start_stack(
    env: dict[str, str],
    *,
    port: int,
    listen: str = "127.0.0.1",
    gunicorn_port: int | None = None,
    workers: int = 2,
    threads: int = 1,
    timeout: int = 30,
    storage: str = "256M",
    purgers: str = "",
    run_dir: Path = SERVE_DIR,
    output=None,
) -> Stack:
    """Start gunicorn on 127.0.0.1 and varnishd in front of it on ``listen``:``port``.

    ``env`` is the app's whole environment. ``output``: a file for both processes' output
    (default: this process's). The caller stops the stack (``Stack.stop()``) and should
    first wait for it (``Stack.wait_until_answering()``).
    """
    gunicorn_port = gunicorn_port or free_port()
    varnish_dir = varnish_dir_for(run_dir)
    vcl = write_vcl(varnish_dir, gunicorn_port, purgers)
    host = public_host(listen)
    stack = Stack(f"http://{host}:{port}", f"http://127.0.0.1:{gunicorn_port}", varnish_dir)
    gunicorn = gunicorn_command(
        f"127.0.0.1:{gunicorn_port}", workers=workers, threads=threads, timeout=timeout
    )
    varnishd = [
        varnishd_path() or "varnishd",
        "-F",
        "-n",
        str(varnish_dir),
        "-a",
        f"{listen or ''}:{port}" if ":" not in listen else f"[{listen}]:{port}",
        "-f",
        str(vcl),
        "-p",
        f"vcl_path={varnish_dir}",
        "-s",
        f"malloc,{storage}",
        # A client gets 5 s for its request's headers and then for each piece of its body;
        # while it trickles, only a Varnish thread waits.
        "-p",
        "timeout_idle=5",
        "-j",
        "unix" if os.geteuid() == 0 else "none",
    ]
    try:
        for name, command in (("gunicorn", gunicorn), ("varnishd", varnishd)):
            stack.processes[name] = subprocess.Popen(  # noqa: S603 (our own arguments)
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,  # our signals only: stop() sends them
                preexec_fn=_die_with_parent,
            )
    except BaseException:
        stack.stop()
        raise
    return stack


def start_worker(env: dict[str, str], output=None) -> subprocess.Popen:
    """``manage.py db_worker``: sends the queued emails; SIGTERM stops it after the one it
    is sending."""
    return subprocess.Popen(  # noqa: S603 (our own arguments)
        [str(venv_bin() / "python"), "manage.py", "db_worker", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )


# --- `make serve` --------------------------------------------------------------------------


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def main() -> int:
    port = int(os.environ.get("PORT") or 8000)
    listen = os.environ.get("LISTEN_ADDRESS", "127.0.0.1")
    ensure_varnish()
    env, trial = serve_env(dict(os.environ), port, listen)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    stack = None
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        if trial:
            manage(env, "loaddemo")
        stack = start_stack(
            env,
            port=port,
            listen=listen,
            workers=int(env.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1)),
            threads=int(env.get("GUNICORN_THREADS") or 1),
            timeout=int(env.get("GUNICORN_TIMEOUT") or 30),
            storage=env.get("VARNISH_SIZE") or "256M",
            purgers=env.get("VARNISH_PURGERS", ""),
        )
        stack.processes["worker"] = start_worker(env)
        stack.wait_until_answering()
        hosts = env["DJANGO_ALLOWED_HOSTS"]
        print(f"\nNewsroom is at {stack.varnish_url}/ (Varnish, from {stack.gunicorn_url})")
        if not trial:
            print(f"Production settings: it answers to {hosts} (DJANGO_ALLOWED_HOSTS).")
        else:
            print(
                "Local trial: DJANGO_ALLOWED_HOSTS is not set, so plain HTTP on this machine, "
                f"a secret key kept in {SERVE_DIR / 'secret_key'}, the demo article loaded."
            )
        print(f"Editors sign in at {stack.varnish_url}/admin/ (make editor).")
        print("Emails are sent by the worker beside gunicorn. Ctrl-C stops all three.\n")
        while not stack.died():
            time.sleep(0.5)
        print(f"serve: {stack.died()} exited; stopping the rest", file=sys.stderr)
        return 1
    except Stop as stop:
        print(f"\nserve: {stop}, stopping", file=sys.stderr)
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"serve: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
