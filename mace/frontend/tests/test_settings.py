"""Production settings: the server refuses to start without a SECRET_KEY; commands run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "MACE_TESTING"}}
    env["DEBUG"] = "0"
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
