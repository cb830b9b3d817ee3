"""The command's conventions: every command names the project folder with --path, `notice check` speaks JSON
for machines and can leave out the acknowledged gaps for people, and a closed pipe is no crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BOTPRESS, replace_once
from noticegen.cli import main


def test_check_json_gives_every_problem_with_its_place(minimal_copy: Path, capsys) -> None:
    replace_once(minimal_copy / "notice/notice.yaml", "  name: Example Ltd.\n", "  nmae: Example Ltd.\n")
    assert main(["check", "--json", "--path", str(minimal_copy)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False and report["errors"] >= 1
    assert {
        "file": "notice/notice.yaml",
        "line": 2,
        "column": 3,
        "severity": "error",
        "message": "unknown key 'nmae'",
        "hint": "did you mean 'name'?",
    } in report["problems"]
    assert report["errors"] == sum(problem["severity"] == "error" for problem in report["problems"])


def test_check_json_of_a_clean_notice_passes_and_lists_its_acknowledged_gaps(capsys) -> None:
    assert main(["check", "--json", "--strict", "--path", str(BOTPRESS)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["passed"], report["strict"], report["errors"], report["warnings"]) == (True, True, 0, 0)
    assert report["acknowledged"] == len(report["problems"]) > 0
    assert {problem["severity"] for problem in report["problems"]} == {"acknowledged"}


def test_quiet_leaves_out_the_acknowledged_gaps_but_counts_them(capsys) -> None:
    assert main(["check", "--quiet", "--path", str(BOTPRESS)]) == 0
    out = capsys.readouterr().out
    assert "acknowledged" not in out.replace("acknowledged known gaps", "")
    assert out.splitlines() == [out.strip()]  # the verdict alone
    assert out.startswith("notice check passed: 0 errors, 0 warnings, ")


def test_quiet_still_prints_problems(minimal_copy: Path, capsys) -> None:
    replace_once(minimal_copy / "notice/notice.yaml", "  name: Example Ltd.\n", "  nmae: Example Ltd.\n")
    assert main(["check", "--quiet", "--path", str(minimal_copy)]) == 1
    assert "notice/notice.yaml:2:3: error: unknown key 'nmae'" in capsys.readouterr().out


def test_check_and_status_take_the_folder_as_path_like_every_command(capsys) -> None:
    assert main(["check", "--quiet", "--path", str(BOTPRESS)]) == 0
    assert capsys.readouterr().out.startswith("notice check passed")
    assert main(["status", "--json", "--path", str(BOTPRESS)]) == 0
    assert json.loads(capsys.readouterr().out)["source_locale"] == "zh"


def test_the_older_form_names_the_same_folder(capsys) -> None:
    assert main(["check", "--quiet", str(BOTPRESS)]) == 0
    assert main(["check", "--quiet", str(BOTPRESS), "--path", str(BOTPRESS)]) == 0


def test_two_different_folders_are_refused(tmp_path: Path, capsys) -> None:
    assert main(["check", str(tmp_path), "--path", str(BOTPRESS)]) == 2
    assert f"two project folders given ({tmp_path} and --path {BOTPRESS}): give one, with --path" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["status"],
        ["fmt"],
        ["schemas"],
        ["diff"],
        ["pages", "pages"],
        ["export"],
        ["stamp", "en", "intro"],
        ["release", "2030-01-01", "--change", "editorial"],
    ],
)
def test_a_project_folder_that_does_not_exist_is_refused_before_anything_runs(
    tmp_path: Path, capsys, command: list[str]
) -> None:
    missing = tmp_path / "no-such-project"
    assert main([*command, "--path", str(missing)]) == 2
    assert capsys.readouterr().err == (
        f"notice {command[0]}: there is no folder {missing}: give the project folder (that holds notice/) with --path\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    command = f"{sys.executable} -m noticegen check --json --path {BOTPRESS} | head -c 10"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert result.stdout == '{\n  "passe'
    assert "Traceback" not in result.stderr


def commands_and_options() -> list[tuple[str, tuple[str, ...]]]:
    """Every (command, option strings) of `notice`, subcommands of subcommands included ("locale add");
    positional arguments have no option strings."""
    import argparse

    from noticegen.cli import build_parser

    found = []

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, subparser in action.choices.items():
                    walk(subparser, f"{name} {sub}".strip())
            elif action.help != argparse.SUPPRESS and not isinstance(action, argparse._HelpAction):
                found.append((name, tuple(action.option_strings)))

    walk(build_parser(), "")
    return found


def test_the_readme_names_every_command_and_option() -> None:
    """Each option on a line of the README that names its command (the command table, or an example)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "Every command that works on a project takes its folder as `--path DIR`" in readme
    lines = readme.splitlines()
    missing = []
    for command, options in commands_and_options():
        if not command or options == ("--path",):  # said once for every command
            continue
        naming = [line for line in lines if f"notice {command}" in line]
        if not naming or (options and not any(option in line for line in naming for option in options)):
            missing.append(f"notice {command} {'/'.join(options)}".strip())
    assert missing == []


def test_check_json_quiet_leaves_out_the_acknowledged_gaps_but_counts_them(capsys) -> None:
    assert main(["check", "--json", "--quiet", "--path", str(BOTPRESS)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == [] and report["acknowledged"] > 0
