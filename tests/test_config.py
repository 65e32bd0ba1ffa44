"""Start-up settings: defaults, and one clear line naming whatever is wrong."""

from datetime import time

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings

TOKEN = "123456789:AAHk-secret-token-value-0123456789"


def test_defaults():
    settings = load_settings({})
    assert settings.api_url == "https://api.telegram.org"
    assert (settings.db_path, settings.timezone, settings.digest_time) == ("akhbar.db", "Africa/Algiers", time(7, 0))
    assert settings.admins == frozenset() and settings.token is None
    assert settings.workers is None  # one worker process per core but the bot's own
    assert settings.alert_retention_days == 30


@pytest.mark.parametrize(("value", "workers"), [("auto", None), ("AUTO", None), ("0", 0), ("3", 3), ("16", 16)])
def test_worker_processes_are_auto_or_a_count(value, workers):
    assert load_settings({"AKHBAR_WORKERS": value}).workers == workers


def test_values_are_read_and_tidied():
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "AKHBAR_ADMINS": "11, 22",
            "AKHBAR_DIGEST_TIME": "7:30",
            "AKHBAR_LOG_LEVEL": "debug",
        }
    )
    assert settings.api_url == "http://127.0.0.1:8081"
    assert settings.admins == {11, 22}
    assert settings.digest_time == time(7, 30)
    assert settings.log_level == "DEBUG"
    assert TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_API_URL", "ftp://example.org"),
        ("AKHBAR_ADMINS", "12,abc"),
        ("AKHBAR_TIMEZONE", "Mars/Olympus"),
        ("AKHBAR_DIGEST_TIME", "25:00"),
        ("AKHBAR_LOG_LEVEL", "LOUD"),
        ("AKHBAR_WORKERS", "-1"),
        ("AKHBAR_WORKERS", "17"),
        ("AKHBAR_WORKERS", "two"),
        ("AKHBAR_WORKERS", "²"),
        ("AKHBAR_ALERT_RETENTION_DAYS", "1"),  # less than a story's window: not a retention
        ("AKHBAR_ALERT_RETENTION_DAYS", "a month"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(name, value):
    with pytest.raises(ConfigError) as caught:
        load_settings({name: value})
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message


@pytest.mark.parametrize(
    ("value", "zone"),
    [("africa/algiers", "Africa/Algiers"), ("AFRICA/ALGIERS", "Africa/Algiers"), ("utc", "UTC"),
     ("america/port-au-prince", "America/Port-au-Prince"), ("Europe/Paris", "Europe/Paris")],
)
def test_the_default_time_zone_is_taken_in_any_case_as_the_zone_list_spells_it(value, zone):
    # Before: "AKHBAR_TIMEZONE is not a known IANA time zone: 'africa/algiers'", status 2.
    assert load_settings({"AKHBAR_TIMEZONE": value}).timezone == zone


@pytest.mark.parametrize("value", ["Mars/Olympus", "Africa", "Africa/" + "x" * 300])
def test_a_time_zone_that_is_none_is_one_line_and_status_2(cli_env, monkeypatch, capsys, value):
    # Before: a folder of the zone files ("Africa") or a name too long for the disk ended in a
    # traceback (IsADirectoryError, OSError), status 1.
    monkeypatch.setenv("AKHBAR_TIMEZONE", value)
    assert main(["db", "migrate"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"akhbar: AKHBAR_TIMEZONE is not a known IANA time zone: {value!r} (e.g. Africa/Algiers)\n"
    assert not (cli_env / "akhbar.db").exists()


def test_run_without_a_token_explains_what_to_set_and_suggests_the_demo(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "akhbar demo" in err and "Traceback" not in err


def test_a_malformed_token_is_reported_without_echoing_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=12345:short-secret\n")
    # setenv first, so that monkeypatch removes what .env puts in os.environ afterwards.
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "malformed" in err and "short-secret" not in err


def read_env_file(monkeypatch, capsys, *names: str) -> tuple[int, str, str]:
    """`akhbar db migrate` in the current folder, its .env read; `names` set there are removed
    from os.environ afterwards (monkeypatch undoes a setenv, not what .env adds)."""
    for name in names:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    status = main(["db", "migrate"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_env_file_that_is_not_utf8_is_named_in_one_line(cli_env, monkeypatch, capsys, encoding):
    """Saved as UTF-16 ("Unicode" in some editors), or in Latin-1: before, UnicodeDecodeError
    and its traceback."""
    (cli_env / ".env").write_text("AKHBAR_TIMEZONE=Africa/Algiers\nAKHBAR_DIGEST_TIME=07:00 # été\n", encoding=encoding)
    status, out, err = read_env_file(monkeypatch, capsys, "AKHBAR_TIMEZONE", "AKHBAR_DIGEST_TIME")
    assert (status, out) == (2, "")
    assert err == f"akhbar: {cli_env / '.env'} is not UTF-8 text: save it as UTF-8\n"


def test_a_env_file_that_cannot_be_read_is_named_in_one_line(cli_env, monkeypatch, capsys):
    import dotenv

    def refused(*args, **kwargs):  # what open() raises on a file of another user's, mode 600 (root may read any)
        raise PermissionError(13, "Permission denied", ".env")

    (cli_env / ".env").write_text("AKHBAR_LOG_LEVEL=INFO\n")
    monkeypatch.setattr(dotenv, "load_dotenv", refused)
    assert read_env_file(monkeypatch, capsys) == (2, "", f"akhbar: cannot read {cli_env / '.env'}: Permission denied\n")


def test_a_env_line_that_is_not_name_equals_value_is_named_with_its_file_and_line(cli_env, monkeypatch, capsys, caplog):
    """A line python-dotenv cannot read (a quote left open, a value pasted alone) is skipped;
    before, the one word about it was dotenv's own «python-dotenv could not parse statement
    starting at line 2», naming neither the file nor Akhbar — and never the line's text, which
    may hold the token."""
    (cli_env / ".env").write_text(f'AKHBAR_TIMEZONE=Africa/Tunis\nTELEGRAM_BOT_TOKEN="{TOKEN}\n')
    status, out, err = read_env_file(monkeypatch, capsys, "AKHBAR_TIMEZONE", "TELEGRAM_BOT_TOKEN")
    assert status == 0
    warnings = [line for line in err.splitlines() if line.startswith("akhbar:")]
    assert warnings == [f"akhbar: warning: {cli_env / '.env'}, line 2: not NAME=value; ignored"]
    assert TOKEN.split(":")[1] not in err
    assert not [r for r in caplog.records if r.name.startswith("dotenv")]


def test_a_misspelt_setting_is_pointed_out_and_the_command_still_runs(cli_env, monkeypatch, capsys):
    """AKHBAR_SENDRATE=5 was silently ignored: the bot sent at the default 25/s."""
    from bot.cli import main

    monkeypatch.setenv("AKHBAR_SENDRATE", "5")
    monkeypatch.setenv("AKHBAR_SOMETHING_ELSE", "x")
    assert main(["db", "migrate"]) == 0
    assert [line for line in capsys.readouterr().err.splitlines() if line.startswith("akhbar:")] == [
        "akhbar: warning: AKHBAR_SENDRATE is not a setting of Akhbar and is ignored; did you mean AKHBAR_SEND_RATE?",
        "akhbar: warning: AKHBAR_SOMETHING_ELSE is not a setting of Akhbar and is ignored",
    ]
