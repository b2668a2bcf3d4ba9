"""Production settings: the server refuses to start without a SECRET_KEY; commands run; the
demonstration and benchmark apps are not installed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "MACE_TESTING"}}
    env["DEBUG"] = "0"
    env.pop("MACE_BENCH_APPS", None)
    env.update(extra)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_the_server_will_not_start_without_a_secret_key():
    result = _run("import mace.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY setting must not be empty" in result.stderr


def test_commands_that_need_no_key_still_run_without_one():
    result = _run(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mace.settings'; django.setup();"
        "from django.core.management import call_command;"
        "call_command('makemigrations', '--check', '--dry-run', verbosity=0)"
    )
    assert result.returncode == 0, result.stderr


def _installed_apps(**env: str) -> list[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='mace.settings'; django.setup();"
        "from django.conf import settings; print(' '.join(settings.INSTALLED_APPS))"
    )
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_deployment_installs_neither_the_demonstration_nor_the_benchmark():
    apps = _installed_apps()
    assert "mace.people" in apps
    assert "mace.demo" not in apps
    assert "mace.bench" not in apps


def test_the_benchmark_installs_them_with_the_production_settings():
    apps = _installed_apps(MACE_BENCH_APPS="1")
    assert "mace.demo" in apps
    assert "mace.bench" in apps
