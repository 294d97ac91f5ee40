"""The README is a contract: every setting and command it should describe, it does."""

from pathlib import Path

import pytest

from cli import main
from settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command):
    assert f"`policygraph {command}" in README


def test_quick_start_is_two_command_lines():
    start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    lines = [line for line in start.splitlines() if line.startswith("python3 -m venv")]
    assert len(lines) == 2
    assert lines[0].endswith("policygraph serve") and lines[1].endswith("pytest")


def test_ci_runs_the_readmes_test_command():
    start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    test_line = [line for line in start.splitlines() if line.startswith("python3 -m venv")][1]
    assert test_line in (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def test_every_top_level_module_and_package_is_installed():
    """`pip install .` must ship every module the app imports, not only what the checkout has."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    tool = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {p.stem for p in root.glob("*.py")} == set(tool["py-modules"])
    packages = {p.parent.name for p in root.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages <= set(tool["packages"])
