"""A database URL that cannot work — unknown scheme, malformed, a server out of reach, a
database that does not exist — ends every command with one clear line on stderr and exit
status 2: no traceback, and never the password."""

import asyncio
import socket

import pytest

from bot.cli import main
from storage.pg_url import passwords_of, redacted
from storage.postgres import refusal

from .conftest import PG_MISSING, PG_URL

SECRET = "s3cret-Pa55word"
COMMANDS = [["db", "migrate"], ["search", "الجزائر"], ["import", "nothing.jsonl"], ["export"], ["sources", "list"],
            ["digest", "--dry-run"]]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once it is closed


def one_clear_line(capsys, *expected: str) -> str:
    captured = capsys.readouterr()
    # The log may say what was done before (a migration of a new SQLite file); one line says why it stopped.
    lines = [line for line in captured.err.splitlines() if " INFO " not in line and line.strip()]
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("akhbar: ") and all(part in lines[0] for part in expected), lines[0]
    assert "Traceback" not in captured.err and SECRET not in captured.err + captured.out
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unreachable_server_is_one_line_naming_where_without_the_password(cli_env, monkeypatch, capsys, command):
    monkeypatch.setenv("AKHBAR_DATABASE_URL", f"postgresql://akhbar:{SECRET}@127.0.0.1:{closed_port()}/akhbar")
    assert main(command) == 2
    one_clear_line(capsys, "cannot reach PostgreSQL", "akhbar:***@127.0.0.1")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"mysql://akhbar:{SECRET}@127.0.0.1/akhbar", "unknown scheme 'mysql'"),
        (f"akhbar:{SECRET}@127.0.0.1/akhbar", "unknown scheme"),
        (f"postgresql://akhbar:{SECRET}@127.0.0.1:port/akhbar", "malformed"),
    ],
)
def test_a_url_of_the_wrong_form_stops_every_command_before_anything_starts(cli_env, monkeypatch, capsys, url, expected):
    monkeypatch.setenv("AKHBAR_DATABASE_URL", url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAE-not-used-since-the-url-is-refused-first")
    for command in (["run"], ["db", "migrate"]):
        assert main(command) == 2
        one_clear_line(capsys, "AKHBAR_DATABASE_URL", expected)


# A password holding / # ? or @ unencoded: urllib and asyncpg end the host part at the first
# / # ?, asyncpg the user part at the first @; before, each error quoted a piece of it ("Port
# could not be cast to integer value as 's3cr3t'") or named another host than it tried.
HEAD, TAIL = "s3cr3tHead", "TailPart9"
UNREADABLE = ("is malformed: it does not parse as postgresql://USER[:PASS]@HOST:PORT/DB "
              "(a password with / # ? or @ in it must be percent-encoded: %2F %23 %3F %40)")


@pytest.mark.parametrize("mark", ["/", "#", "?", "@", "/1@"])
def test_a_password_with_a_url_delimiter_is_refused_in_one_line_that_shows_no_piece_of_it(cli_env, monkeypatch,
                                                                                          capsys, mark):
    url = f"postgresql://akhbar:{HEAD}{mark}{TAIL}@127.0.0.1:{closed_port()}/akhbar"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAE-not-used-since-the-url-is-refused-first")
    for command, setting in ((["run"], "AKHBAR_DATABASE_URL"), (["db", "migrate"], "AKHBAR_DATABASE_URL"),
                             (["db", "copy", "--to", url], "--to")):
        monkeypatch.setenv("AKHBAR_DATABASE_URL", url if setting == "AKHBAR_DATABASE_URL" else "")
        assert main(command) == 2
        captured = capsys.readouterr()
        assert one_line(captured.err) == f"akhbar: {setting} {UNREADABLE}"
        assert HEAD not in captured.err + captured.out and TAIL not in captured.err + captured.out
        assert "Traceback" not in captured.err


def one_line(err: str) -> str:
    """The one line that is not the log's account of what went before (a new SQLite file's migrations)."""
    lines = [line for line in err.splitlines() if " INFO " not in line and line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_a_password_in_the_query_is_masked_in_errors(cli_env, monkeypatch, capsys):
    port = closed_port()
    monkeypatch.setenv("AKHBAR_DATABASE_URL", f"postgresql://akhbar@127.0.0.1:{port}/qaops?password={SECRET}&jit=on")
    assert main(["db", "migrate"]) == 2
    line = one_clear_line(capsys, "cannot reach PostgreSQL")
    assert line.startswith(f"akhbar: AKHBAR_DATABASE_URL: cannot reach PostgreSQL at "
                           f"postgresql://akhbar@127.0.0.1:{port}/qaops?password=***&jit=on ("), line
    monkeypatch.delenv("AKHBAR_DATABASE_URL")
    assert main(["db", "copy", "--to", f"postgresql://akhbar@127.0.0.1:{port}/copy?sslpassword={SECRET}"]) == 2
    assert f"PostgreSQL at postgresql://akhbar@127.0.0.1:{port}/copy?sslpassword=*** (" in one_clear_line(capsys)


async def test_a_password_in_the_query_is_masked_when_all_goes_well(cli_env, monkeypatch, capsys):
    from .conftest import pg_schema

    async with pg_schema() as url:  # the test server trusts the role: any password will do
        monkeypatch.setenv("AKHBAR_DATABASE_URL", f"{url}&password={SECRET}")
        assert await asyncio.to_thread(main, ["db", "migrate"]) == 0  # main runs a loop of its own
    captured = capsys.readouterr()
    assert captured.out.startswith(f"AKHBAR_DATABASE_URL={url}&password=***: schema version "), captured.out
    assert SECRET not in captured.out + captured.err


def test_db_copy_to_a_server_out_of_reach_or_of_an_unknown_kind_is_one_line(cli_env, capsys):
    assert main(["db", "copy", "--to", f"postgresql://akhbar:{SECRET}@127.0.0.1:{closed_port()}/copy"]) == 2
    one_clear_line(capsys, "--to", "cannot reach PostgreSQL", "akhbar:***@")
    assert main(["db", "copy", "--to", f"mysql://akhbar:{SECRET}@127.0.0.1/copy"]) == 2
    one_clear_line(capsys, "--to", "unknown scheme 'mysql'")


def test_a_database_that_does_not_exist_is_named(cli_env, monkeypatch, capsys):
    if not PG_URL:
        pytest.skip(PG_MISSING)  # never in CI: conftest fails the run there instead
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(PG_URL)
    netloc = f"{parts.username}:{SECRET}@{parts.hostname}:{parts.port}"
    monkeypatch.setenv("AKHBAR_DATABASE_URL", urlunsplit(parts._replace(netloc=netloc, path="/no_such_database")))
    assert main(["db", "migrate"]) == 2
    one_clear_line(capsys, 'database "no_such_database" does not exist')


def test_which_errors_mean_the_server_is_out_of_reach():
    import errno

    import asyncpg

    assert refusal(ConnectionRefusedError(errno.ECONNREFUSED, "refused")) == "unreachable"
    assert refusal(socket.gaierror(-2, "Name or service not known")) == "unreachable"
    assert refusal(TimeoutError()) == "unreachable"
    assert refusal(OSError(errno.EHOSTUNREACH, "no route")) == "unreachable"
    assert refusal(asyncpg.AdminShutdownError("terminating connection due to administrator command")) == "unreachable"
    assert refusal(asyncpg.InterfaceError("connection is closed")) == "unreachable"
    # A session ended by a shutdown mid-statement (seen in CI; MagicStack/asyncpg#784).
    lost = asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress")
    assert refusal(lost) == "unreachable"
    # Not a pause to wait out: the operator's to fix, or a bug.
    assert refusal(PermissionError(errno.EACCES, "permission denied")) is None
    assert refusal(OSError(errno.EMFILE, "too many open files")) is None
    assert refusal(asyncpg.InternalClientError("no encoder for OID 16385")) is None
    assert refusal(asyncpg.InterfaceError("cannot perform operation: another operation is in progress")) is None
    assert refusal(asyncpg.UniqueViolationError("duplicate key")) is None
    assert refusal(asyncpg.DiskFullError("no space left on device")) == "full"


def test_the_password_is_found_for_scrubbing_and_never_shown():
    assert passwords_of(f"postgresql://akhbar:{SECRET}@db:5432/akhbar") == (SECRET,)
    assert passwords_of("postgresql://akhbar@db/akhbar") == () and passwords_of(None) == ()
    assert passwords_of(f"postgresql://akhbar:{SECRET}@db:port/akhbar") == (SECRET,)  # malformed port
    assert passwords_of("postgresql://akhbar:p%40ss@db/akhbar") == ("p%40ss", "p@ss")  # as written, as meant
    for url in (f"postgresql://akhbar:{SECRET}@db:5432/akhbar", f"postgresql://akhbar:{SECRET}/x@y@db/akhbar",
                f"postgresql://akhbar:{SECRET}@db/akhbar?application_name=a@b"):
        assert SECRET not in redacted(url) and redacted(url).startswith("postgresql://akhbar:***@"), redacted(url)
    # A password given in the query (asyncpg reads `password` and `sslpassword` there too).
    url = f"postgresql://akhbar@db/akhbar?password={SECRET}&sslpassword=k+ey%21&application_name=a@b"
    assert redacted(url) == "postgresql://akhbar@db/akhbar?password=***&sslpassword=***&application_name=a@b"
    assert passwords_of(url) == (SECRET, "k+ey%21", "k+ey!", "k ey!")  # as written, as meant
    # The host it connects to, as it names it; a malformed URL's hidden from the user on.
    assert redacted(f"postgresql://akhbar:{SECRET}@db/akhbar?application_name=a@b") == (
        "postgresql://akhbar:***@db/akhbar?application_name=a@b")
    assert redacted(f"postgresql://akhbar:p@{SECRET}@db/akhbar") == "postgresql://akhbar:***@…"


@pytest.mark.slow
async def test_a_wrong_password_stops_akhbar_run_and_the_cli_in_one_line_that_never_shows_it(tmp_path):
    """On a server of the test's own, where the role akhbar_pw must give its password; the bot
    runs as a process against the Telegram stand-in, its log at DEBUG."""
    import asyncio
    import os
    import sys

    from emulator import BotAPIEmulator

    from .conftest import ROOT, TOKEN
    from .pg_server import PASSWORD, throwaway_postgres

    with throwaway_postgres() as server:
        wrong = f"postgresql://akhbar_pw:{SECRET}@127.0.0.1:{server.port}/akhbar"
        right = f"postgresql://akhbar_pw:{PASSWORD}@127.0.0.1:{server.port}/akhbar_pw"
        not_its_own = f"postgresql://akhbar_pw:{PASSWORD}@127.0.0.1:{server.port}/akhbar"  # owned by akhbar
        async with BotAPIEmulator(token=TOKEN, bot_username="akhbar_test_bot") as emu:
            env = {
                **os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emu.api_url,
                "AKHBAR_LOG_LEVEL": "DEBUG", "AKHBAR_DATABASE_URL": wrong,
            }
            for command in (["run"], ["db", "migrate"], ["db", "copy", "--to", str(tmp_path / "copy.db")]):
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", *command, env=env, cwd=tmp_path,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                )
                out, err = await asyncio.wait_for(process.communicate(), 60)
                output = (out + err).decode()
                assert process.returncode == 2, output
                last = err.decode().strip().splitlines()[-1]
                assert last.startswith("akhbar: AKHBAR_DATABASE_URL") and "wrong password or user" in last, output
                assert "Traceback" not in output and SECRET not in output
            env["AKHBAR_DATABASE_URL"] = ""  # from here on, copies of a SQLite file
            # A database the role does not own: it may not create the schema there.
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "db", "copy", "--to", not_its_own, env=env, cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(process.communicate(), 120)
            assert process.returncode == 2 and "Traceback" not in err.decode() and PASSWORD not in err.decode()
            assert "permission denied for schema public: the role must own its database" in err.decode()
            # The right password, given in `db copy --to`, is scrubbed from the log all the same.
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "db", "copy", "--to", right, env=env, cwd=tmp_path,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(process.communicate(), 120)
            assert process.returncode == 0, err.decode()
            assert PASSWORD not in (out + err).decode()
