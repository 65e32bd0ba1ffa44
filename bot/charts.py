"""The /stats chart: 30 days of activity as a PNG of two panels (matplotlib, headless Agg).

Top: articles fetched per day, stacked by source (the busiest few, the rest as "other").
Bottom: deliveries per day, digests and alerts stacked, with the readers (active chats) as a
line on an axis of its own at the right.

Arabic is drawn shaped and right to left without any helper library: matplotlib ≥ 3.11 lays
text out with libraqm (HarfBuzz shaping, FriBiDi ordering), and DejaVu Sans, which ships with
matplotlib, has the Arabic glyphs (tests/test_charts.py compares a drawn word with its joined
and with its isolated letter forms).

Drawing takes about a second of CPU: the bot draws in a worker process of its own
(`ChartDrawer`), one chart at a time, never on the event loop; `akhbar stats --png` draws
in its own process with `draw_png`.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from bot.i18n import t
from bot.views import is_rtl
from news.activity import Activity
from news.workers import CpuWorkers

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Ships with matplotlib (no system font needed) and covers Arabic, Latin and digits.
FONT = "DejaVu Sans"
WIDTH_IN, HEIGHT_IN, DPI = 10.0, 7.5, 100  # 1000 x 750 px: sharp in Telegram's viewer, ~60 kB
# One colour per top source (Tableau's, distinct for the colour-blind), then grey for "other".
SOURCE_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7")
OTHER_COLOUR = "#bab0ac"
DIGEST_COLOUR, ALERT_COLOUR, READERS_COLOUR = "#4e79a7", "#f28e2b", "#222222"


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's words in the reader's language (plain text, not HTML)."""

    articles: str
    other: str
    unnamed: str  # a source with no name
    deliveries: str
    digests: str
    alerts: str
    readers: str
    rtl: bool = False  # legends read from the right: each key's swatch after its words


def labels_for(lang: str) -> ChartLabels:
    words = {field.name: t(lang, f"chart_{field.name}") for field in fields(ChartLabels) if field.name != "rtl"}
    return ChartLabels(**words, rtl=is_rtl(lang))


def draw_png(activity: Activity, labels: ChartLabels) -> bytes:
    """The chart as PNG bytes.  Plain values in, bytes out: it runs in a worker process."""
    # Imported here: the bot process itself never draws.  matplotlib's Figure without pyplot:
    # no global state, no GUI backend; savefig draws with Agg.
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": FONT, "font.size": 11, "axes.spines.top": False}):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True)
        x = range(len(activity.days))

        base = [0] * len(activity.days)
        for i, source in enumerate(activity.sources):
            name = labels.other if source.name is None else source.name or labels.unnamed
            colour = OTHER_COLOUR if source.name is None else SOURCE_COLOURS[i % len(SOURCE_COLOURS)]
            top.bar(x, source.per_day, bottom=base, color=colour, width=0.8, label=f"{name} ({source.total:,})")
            base = [b + n for b, n in zip(base, source.per_day, strict=True)]
        top.set_title(labels.articles, loc="center", fontsize=13)
        _zero_based(top, max(base, default=0))
        if activity.sources:  # beside the bars, at the right, where it hides none of them
            top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False, markerfirst=not labels.rtl)

        bottom.bar(x, activity.digests, color=DIGEST_COLOUR, width=0.8, label=labels.digests)
        bottom.bar(x, activity.alerts, bottom=activity.digests, color=ALERT_COLOUR, width=0.8, label=labels.alerts)
        bottom.set_title(labels.deliveries, loc="center", fontsize=13)
        # Room above the bars and the line for the legend's one row.
        _zero_based(bottom, max(activity.deliveries, default=0), headroom=1.3)
        readers = bottom.twinx()
        readers.plot(x, activity.readers, color=READERS_COLOUR, linewidth=2, marker="o", markersize=3, label=labels.readers)
        _zero_based(readers, max(activity.readers, default=0), headroom=1.3)
        handles = bottom.get_legend_handles_labels()[0] + readers.get_legend_handles_labels()[0]
        bottom.legend(handles=handles, loc="upper left", ncols=3, fontsize=9, frameon=False, markerfirst=not labels.rtl)

        # Every fifth day and today, as day/month: the order of days is the calendar's.
        ticks = sorted({*range(len(activity.days) - 1, -1, -5)})
        bottom.set_xticks(ticks, [f"{activity.days[i].day:02}/{activity.days[i].month:02}" for i in ticks])
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        return out.getvalue()


def _zero_based(axes: Axes, highest: int, headroom: float = 1.1) -> None:
    """From zero, with room above the highest bar (and a scale when all is 0)."""
    from matplotlib.ticker import MaxNLocator

    axes.set_ylim(0, max(1, highest) * headroom)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


class ChartDrawer:
    """Charts drawn in one worker process, one at a time, off the event loop.

    The process starts at the first chart and ends at `close`.  Requests for the same chart
    (the same figures, the same language) while it is being drawn wait for that drawing
    rather than queue another; the last chart of each language is kept, and given again
    while the figures have not changed.
    """

    def __init__(self) -> None:
        self._workers = CpuWorkers(1)
        self._drawing: dict[tuple[Activity, ChartLabels], asyncio.Future[bytes]] = {}
        self._last: dict[ChartLabels, tuple[Activity, bytes]] = {}
        self.drawn = 0  # charts drawn in the worker (not those given again)

    async def png(self, activity: Activity, labels: ChartLabels) -> bytes:
        kept = self._last.get(labels)
        if kept is not None and kept[0] == activity:
            return kept[1]
        key = (activity, labels)
        drawing = self._drawing.get(key)
        if drawing is None:
            drawing = self._drawing[key] = asyncio.ensure_future(self._draw(activity, labels))
            drawing.add_done_callback(lambda _: self._drawing.pop(key, None))
        # Shielded: one reader giving up (a cancelled handler) does not cancel the others' chart.
        return await asyncio.shield(drawing)

    async def _draw(self, activity: Activity, labels: ChartLabels) -> bytes:
        png = await self._workers.run(draw_png, activity, labels)
        self.drawn += 1
        self._last[labels] = (activity, png)
        return png

    async def close(self) -> None:
        for drawing in list(self._drawing.values()):
            drawing.cancel()
        await self._workers.close()
