"""The files `akhbar` commands write — `export -o`, `sources export -o`, `stats --png` — never
take the database's place, and are written whole or not at all."""

import errno
import sqlite3

import pytest

from bot.cli import main


@pytest.fixture
def archive(cli_env, data_dir, capsys):
    """An `akhbar` whose database holds a few articles."""
    assert main(["import", str(data_dir / "aggregator-page.txt")]) == 0
    capsys.readouterr()
    return cli_env / "akhbar.db"


def _articles_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.mark.parametrize("suffix", ["", "-wal"])
@pytest.mark.parametrize(
    "command", [["export", "-o"], ["sources", "export", "-o"], ["stats", "--png"]], ids=["export", "sources", "stats"]
)
def test_an_output_named_like_the_database_is_refused_and_the_archive_kept(archive, capsys, command, suffix):
    stored = _articles_in(archive)
    assert main([*command, f"{archive}{suffix}"]) == 2
    out, err = capsys.readouterr()
    (line,) = err.splitlines()
    assert line.startswith("akhbar: cannot write ") and "it is the database (AKHBAR_DB)" in line
    assert _articles_in(archive) == stored and main(["search", "الجزائر"]) == 0


def test_an_export_cut_short_by_a_full_disk_leaves_the_last_backup_whole(archive, capsys, monkeypatch):
    import news.exporting

    assert main(["export", "-o", str(archive.parent / "backup.jsonl")]) == 0
    backup = (archive.parent / "backup.jsonl").read_bytes()
    real = news.exporting.export_jsonl

    async def disk_full_midway(articles, out, advance=None):
        out.write('{"title": "half a rec')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(news.exporting, "export_jsonl", disk_full_midway)
    capsys.readouterr()
    assert main(["export", "-o", str(archive.parent / "backup.jsonl")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"akhbar: cannot write the export to {archive.parent / 'backup.jsonl'}: No space left on device"
    assert (archive.parent / "backup.jsonl").read_bytes() == backup
    assert sorted(p.name for p in archive.parent.iterdir() if p.name.endswith(".part")) == []
    monkeypatch.setattr(news.exporting, "export_jsonl", real)


@pytest.mark.parametrize("where", ["missing/out.jsonl", "."])
def test_an_export_to_nowhere_is_one_clear_line(archive, capsys, where):
    assert main(["export", "-o", str(archive.parent / where)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"akhbar: cannot write the export to {archive.parent / where}: ")


def test_an_export_over_a_link_or_a_private_file_keeps_them(archive, capsys):
    """Written beside and renamed over: a link stays a link (its file gets the export), and a
    file kept private (0600) stays so."""
    import os
    import stat

    folder = archive.parent
    (folder / "backups").mkdir()
    (folder / "backups" / "latest.jsonl").write_text("old\n")
    os.chmod(folder / "backups" / "latest.jsonl", 0o600)
    (folder / "latest.jsonl").symlink_to(folder / "backups" / "latest.jsonl")
    assert main(["export", "-o", str(folder / "latest.jsonl")]) == 0
    assert (folder / "latest.jsonl").is_symlink()
    written = (folder / "backups" / "latest.jsonl").read_text()
    assert written != "old\n" and written.count("\n") >= 30
    assert stat.S_IMODE((folder / "backups" / "latest.jsonl").stat().st_mode) == 0o600
