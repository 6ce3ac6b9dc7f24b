"""Settings from the environment and the `.env` loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenantkit.config import (
    DEFAULT_TABLE_NAME,
    ConfigurationError,
    cursor_secret,
    find_upwards,
    load_env_file,
    parse_env_file,
    table_name_for,
)

LONG_SECRET = "s" * 32

# --- table names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"GROUPS_TABLE_NAME": "groups-t", "APP_TABLE_NAME": "app-t"}, "groups-t"),
        ({"APP_TABLE_NAME": "app-t"}, "app-t"),
        ({}, DEFAULT_TABLE_NAME),
        ({"GROUPS_TABLE_NAME": "  ", "APP_TABLE_NAME": "app-t"}, "app-t"),
        ({"GROUPS_TABLE_NAME": "", "APP_TABLE_NAME": "\t"}, DEFAULT_TABLE_NAME),
        ({"GROUPS_TABLE_NAME": " groups-t "}, "groups-t"),
        ({"TASKS_TABLE_NAME": "tasks-t"}, DEFAULT_TABLE_NAME),
    ],
)
def test_given_environment_when_groups_table_resolved_should_follow_priority(
    environ: dict[str, str], expected: str
) -> None:
    assert table_name_for("groups", environ) == expected


def test_given_no_mapping_when_table_resolved_should_read_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUPS_TABLE_NAME", "from-process")

    name = table_name_for("groups")

    assert name == "from-process"


# --- cursor secret ------------------------------------------------------------------------------


@pytest.mark.parametrize("environ", [{}, {"CURSOR_SECRET": ""}, {"CURSOR_SECRET": "s" * 31}])
def test_given_missing_or_short_secret_when_read_should_raise(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="CURSOR_SECRET"):
        cursor_secret(environ)


def test_given_secret_of_32_bytes_when_read_should_return_bytes() -> None:
    secret = cursor_secret({"CURSOR_SECRET": LONG_SECRET})

    assert secret == LONG_SECRET.encode()


def test_given_multibyte_secret_when_read_should_count_bytes_not_characters() -> None:
    secret = cursor_secret({"CURSOR_SECRET": "é" * 16})

    assert len(secret) == 32


# --- parsing ------------------------------------------------------------------------------------


def test_given_env_text_when_parsed_should_handle_comments_quotes_and_export() -> None:
    text = "\n".join(
        [
            "# a comment",
            "",
            "PLAIN=value",
            "export EXPORTED=1",
            'DOUBLE="a b # not a comment"',
            "SINGLE='x=y'",
            "INLINE=kept # dropped",
            "HASH_IN_VALUE=a#b",
            "  SPACED  =  padded  ",
            "EMPTY=",
            "not a setting",
        ]
    )

    values = parse_env_file(text)

    assert values == {
        "PLAIN": "value",
        "EXPORTED": "1",
        "DOUBLE": "a b # not a comment",
        "SINGLE": "x=y",
        "INLINE": "kept",
        "HASH_IN_VALUE": "a#b",
        "SPACED": "padded",
        "EMPTY": "",
    }


def test_given_repeated_key_when_parsed_should_keep_the_last_value() -> None:
    values = parse_env_file("A=1\nA=2\n")

    assert values == {"A": "2"}


def test_given_quoted_value_followed_by_comment_when_parsed_should_drop_quotes_and_comment() -> None:
    values = parse_env_file('GREETING="hello world" # the greeting\n')

    assert values == {"GREETING": "hello world"}


# --- loading ------------------------------------------------------------------------------------


def test_given_env_file_in_parent_folder_when_loaded_should_find_and_apply_it(tmp_path: Path) -> None:
    (tmp_path / ".env.test").write_text("APP_TABLE_NAME=from-file\nLOG_LEVEL=DEBUG\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    environ: dict[str, str] = {}

    path = load_env_file(nested, ".env.test", environ)

    assert path == (tmp_path / ".env.test").resolve()
    assert environ == {"APP_TABLE_NAME": "from-file", "LOG_LEVEL": "DEBUG"}


def test_given_variable_already_set_when_env_file_loaded_should_not_override_it(tmp_path: Path) -> None:
    (tmp_path / ".env.test").write_text("APP_TABLE_NAME=from-file\nOTHER=x\n", encoding="utf-8")
    environ = {"APP_TABLE_NAME": "from-shell", "EMPTY_BUT_SET": ""}

    load_env_file(tmp_path, ".env.test", environ)

    assert environ == {"APP_TABLE_NAME": "from-shell", "EMPTY_BUT_SET": "", "OTHER": "x"}


def test_given_file_path_as_start_when_loaded_should_search_from_its_folder(tmp_path: Path) -> None:
    (tmp_path / ".env.test").write_text("A=1\n", encoding="utf-8")
    start = tmp_path / "module.py"
    start.write_text("", encoding="utf-8")
    environ: dict[str, str] = {}

    load_env_file(start, ".env.test", environ)

    assert environ == {"A": "1"}


def test_given_no_env_file_when_loaded_should_return_none_and_change_nothing(tmp_path: Path) -> None:
    environ = {"KEEP": "1"}

    path = load_env_file(tmp_path, ".env.does-not-exist-anywhere", environ)

    assert path is None
    assert environ == {"KEEP": "1"}


def test_given_file_above_search_depth_when_searched_should_not_find_it(tmp_path: Path) -> None:
    (tmp_path / ".env.deep").write_text("A=1\n", encoding="utf-8")
    nested = tmp_path.joinpath(*"abc")
    nested.mkdir(parents=True)

    found_near = find_upwards(nested, ".env.deep", max_levels=3)
    found_far = find_upwards(nested, ".env.deep", max_levels=2)

    assert found_near == (tmp_path / ".env.deep").resolve()
    assert found_far is None


def test_given_a_secret_arn_when_reading_the_cursor_secret_should_fetch_it_once_from_secrets_manager() -> None:
    import boto3
    from moto import mock_aws

    from tenantkit.config import _secret_value, cursor_secret

    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        arn = client.create_secret(Name="cursor", SecretString="s" * 40)["ARN"]
        _secret_value.cache_clear()

        first = cursor_secret({"CURSOR_SECRET_ARN": arn})
        client.put_secret_value(SecretId=arn, SecretString="t" * 40)
        second = cursor_secret({"CURSOR_SECRET_ARN": arn})

    _secret_value.cache_clear()
    assert first == b"s" * 40
    assert second == first
