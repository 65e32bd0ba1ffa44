"""`akhbar stats [--png FILE]`: the figures of /stats in a terminal, and its chart as a file."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.charts import draw_png, labels_for
from bot.config import Settings
from bot.output_files import check_output, write_bytes_whole
from bot.services import Services
from news.activity import Activity
from news.plurals import counted
from news.services import Stats

EXIT_OK = 0


def stats_lines(stats: Stats, activity: Activity) -> list[str]:
    """The text figures: today's state, then the last days one line each, then the sources."""
    lines = [
        f"subscribers: {stats.subscribed_active:,} active · {stats.inactive:,} inactive",
        f"sources in error: {', '.join(f'#{s.id}' for s in stats.failing) or '—'}",
        f"digests sent yesterday: {stats.digests_yesterday:,} · 429 answers today: {stats.floods_today:,}",
        "",
        f"{'day (UTC)':<10} {'articles':>9} {'readers':>9} {'digests':>9} {'alerts':>9}",
    ]
    for i, day in enumerate(activity.days):
        lines.append(
            f"{day.isoformat():<10} {activity.articles[i]:>9,} {activity.readers[i]:>9,} "
            f"{activity.digests[i]:>9,} {activity.alerts[i]:>9,}"
        )
    lines.append("")
    by_source = " · ".join(
        f"{'other' if s.name is None else s.name or '—'}: {s.total:,}" for s in activity.sources
    )
    lines.append(f"articles by source over {counted(len(activity.days), 'day')}: {by_source or '—'}")
    return lines


async def stats_command(settings: Settings, png: Path | None, lang: str) -> int:
    # The plain mistakes are told before the database is read and the chart drawn.
    if png is not None:
        check_output(png, settings, "the chart")
    async with await Services.open(settings, follows=False) as services:
        stats = await services.curation.stats()
        activity = await services.activity.last_days()
    print("\n".join(stats_lines(stats, activity)))
    if png is None:
        return EXIT_OK
    picture = draw_png(activity, labels_for(lang))
    write_bytes_whole(png, picture, "the chart")
    print(f"chart written to {png} ({len(picture):,} bytes)", file=sys.stderr)
    return EXIT_OK
