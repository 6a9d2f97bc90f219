"""The README is true: its opening commands, its Python examples, and every CLI command documented."""

import doctest
import re

from click.testing import CliRunner

from aseankg import settings
from aseankg.cli import main

README = settings.PROJECT_ROOT / "README.md"


def test_readme_opens_with_the_install_and_run_command_and_the_test_command():
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert "aseankg serve" in blocks[0] and "pip install -e ." in blocks[0]
    assert "pytest" in blocks[1]
    assert (settings.PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith(
        "pytest")


def test_readme_python_examples_run():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0


def test_every_cli_command_is_documented():
    text = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert f"aseankg {name}" in text, f"'aseankg {name}' is not in the README"
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
