"""The shared one-line error handling of the command lines."""

from __future__ import annotations

import pytest

from cli_errors import describe, one_line_errors


@one_line_errors
def _main(argv=None, fail=None):
    if fail is not None:
        raise fail
    return 0


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (FileNotFoundError(2, "No such file or directory", "/x/plans.json"), "file not found: /x/plans.json"),
        (PermissionError(13, "Permission denied", "/x/index"), "permission denied: /x/index"),
        (KeyError("signer"), "missing key 'signer'"),
        (
            ValueError("k must be greater than 0. Currently, k is 0"),
            "k must be greater than 0. Currently, k is 0",
        ),
    ],
)
def test_expected_errors_are_one_line_without_errno(error, line):
    assert describe(error) == line


def test_a_failure_is_one_line_and_exit_1(capsys):
    assert _main([], fail=ValueError("bad value 'x'")) == 1
    err = capsys.readouterr().err
    assert err == "error: bad value 'x'\n"


def test_an_unexpected_failure_points_to_debug(capsys):
    assert _main([], fail=ZeroDivisionError("division by zero")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--debug" in err and "Traceback" not in err


def test_debug_shows_the_traceback_and_is_not_passed_on(capsys):
    seen = []

    @one_line_errors
    def main(argv=None):
        seen.append(argv)
        raise RuntimeError("the index at /x is damaged")

    assert main(["info", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().splitlines()[-1] == "error: the index at /x is damaged"
    assert seen == [["info"]]


def test_interrupt_is_quiet(capsys):
    assert _main([], fail=KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == "interrupted\n"
