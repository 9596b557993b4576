"""`make run`: the site on a developer's machine, in one command.

    Django's development server (127.0.0.1:PORT, default 8000)  +  the email worker

It writes ``.env`` (git-ignored; read by ``manage.py`` only, see there) with debug on and the
site's address on PORT, so that links in emails point to this server and every later
``manage.py`` command works with no variables; migrates and loads the demo article; then runs
``manage.py runserver`` and ``manage.py db_worker`` (which sends the queued emails, printed to
this terminal) side by side. Ctrl-C or SIGTERM stops both; if one of them exits, the other is
stopped and the exit status is 1. What the environment sets wins over what is written here.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.serve import STOP_TIMEOUT, Stop, _die_with_parent, _raise_stop  # noqa: E402

LOCAL_ENV = ROOT / ".env"


def local_settings(port: int) -> dict[str, str]:
    """What ``make run`` on ``port`` means: debug on, and the site at 127.0.0.1:``port``."""
    return {"DJANGO_DEBUG": "1", "NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}"}


def write_local_env(values: dict[str, str], path: Path = LOCAL_ENV) -> None:
    path.write_text(
        "# Written by `make run` for local manage.py commands; never read in production.\n"
        + "".join(f"{name}={value}\n" for name, value in values.items())
    )


def develop_env(environ: dict[str, str], port: int) -> dict[str, str]:
    """The app's environment: ``environ``, with what it leaves unset filled in."""
    return {**local_settings(port), **{k: v for k, v in environ.items() if v != ""}}


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own arguments, no shell)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # our signals only: stop() sends them
        preexec_fn=_die_with_parent,
    )


def stop(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each process group (the worker finishes the email it is sending), then
    SIGKILL to whatever is left."""
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for name, process in processes.items():
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            print(f"run: {name} did not stop, killing it", file=sys.stderr)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> int:
    port = int(os.environ.get("PORT") or 8000)
    write_local_env(local_settings(port))
    env = develop_env(dict(os.environ), port)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    processes: dict[str, subprocess.Popen] = {}
    try:
        for command in (("migrate", "--no-input"), ("loaddemo",)):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        site = env["NEWSROOM_SITE_URL"]
        print(f"\nNewsroom is at {site}/")
        print(f"Editors sign in at {site}/admin/ ; create an editor account with:")
        print("    make editor")
        print("Emails are sent by the worker started beside the server (printed here).")
        print("Ctrl-C stops both.\n", flush=True)
        processes["worker"] = start(env, "db_worker", "--no-startup-delay")
        processes["runserver"] = start(env, "runserver", f"127.0.0.1:{port}")
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"run: {name} exited; stopping the rest", file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except Stop as stopped:
        print(f"\nrun: {stopped}, stopping", file=sys.stderr)
        return 0
    except subprocess.CalledProcessError as error:
        print(f"run: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
