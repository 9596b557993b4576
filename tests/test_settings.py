"""Settings come from the environment and fail closed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-that-is-not-in-the-repo-0123456789",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "NEWSROOM_SITE_URL": "https://news.example.org",
}
# What a deployment whose domain's owner opts in to more adds.
HTTPS_POLICY = {
    "DJANGO_HSTS_SECONDS": "63072000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(name: str, **env) -> str:
    result = run_python(f"from django.conf import settings; print(settings.{name})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_a_secret_key_production_refuses_to_start():
    result = run_python("import django; django.setup()")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_without_allowed_hosts_production_refuses_to_start():
    result = run_python("import django; django.setup()", DJANGO_SECRET_KEY="x" * 50)
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert setting("DEBUG", **PRODUCTION) == "False"
    assert setting("DEBUG", DJANGO_DEBUG="1") == "True"


def test_a_typo_in_a_boolean_is_an_error_not_a_guess():
    result = run_python("import django; django.setup()", DJANGO_DEBUG="ture")
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_sqlite_by_default_and_postgresql_from_database_url():
    assert setting("DATABASES['default']['ENGINE']", **PRODUCTION).endswith("sqlite3")
    assert (
        setting(
            "DATABASES['default']['ENGINE']",
            DATABASE_URL="postgres://newsroom@db.example:5432/newsroom",
            **PRODUCTION,
        )
        == "django.db.backends.postgresql"
    )


def test_production_serves_compressed_hashed_static_files_with_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in setting("MIDDLEWARE", **PRODUCTION)
    assert setting("STORAGES['staticfiles']['BACKEND']", **PRODUCTION) == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_cookies_are_secure_by_default():
    assert setting("SESSION_COOKIE_SECURE", **PRODUCTION) == "True"
    assert setting("CSRF_COOKIE_SECURE", **PRODUCTION) == "True"
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"


def test_production_sends_hsts_for_a_year_by_default():
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION) == "31536000"
    # The domain's owner opts in to these: they reach beyond this site.
    assert setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **PRODUCTION) == "False"
    assert setting("SECURE_HSTS_PRELOAD", **PRODUCTION) == "False"


def test_hsts_is_turned_off_with_zero_and_off_without_https():
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION, DJANGO_HSTS_SECONDS="0") == "0"
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION, DJANGO_SECURE="0") == "0"
    assert setting("SECURE_HSTS_SECONDS", DJANGO_DEBUG="1") == "0"


def test_production_cookies_are_host_only_and_plain_http_keeps_plain_names():
    assert setting("SESSION_COOKIE_NAME", **PRODUCTION) == "__Host-sessionid"
    assert setting("CSRF_COOKIE_NAME", **PRODUCTION) == "__Host-csrftoken"
    # Browsers refuse a __Host- cookie without Secure, and Secure needs HTTPS.
    assert setting("SESSION_COOKIE_NAME", **PRODUCTION, DJANGO_SECURE="0") == "sessionid"
    assert setting("CSRF_COOKIE_NAME", **PRODUCTION, DJANGO_SECURE="0") == "csrftoken"


def deploy_check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_defaults_pass_the_deploy_check():
    result = deploy_check(**PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_with_every_hsts_option_passes_the_deploy_check():
    result = deploy_check(**PRODUCTION, **HTTPS_POLICY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_warns_when_hsts_is_turned_off():
    result = deploy_check(**PRODUCTION, DJANGO_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
