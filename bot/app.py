"""Wiring only: build the PTB Application, open services in post_init, close them in post_shutdown.

Features live in bot/handlers/, one module each; nothing here knows what a command does.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import ApplicationBuilder, JobQueue, TypeHandler, Updater

from bot.aiohttp_request import AiohttpRequest
from bot.alert_edits import AlertEditEngine
from bot.alerts import AlertEngine
from bot.charts import ChartDrawer
from bot.config import RECEIVER, WORKER, ConfigError, Settings, listen_address
from bot.context import CONTEXT_TYPES, AkhbarApp, AkhbarContext
from bot.digests import DigestEngine
from bot.handlers import register_all
from bot.i18n import COMMANDS, DEFAULT_LANGUAGE
from bot.limiter import AkhbarRateLimiter
from bot.metrics import ArrivalQueue, PrometheusMetrics, take_update
from bot.monitoring import Monitor, bind
from bot.polling import SourcePolling
from bot.processes import BEAT_SECONDS, LEASE_SECONDS, Membership, rate_share
from bot.search_reindex import REINDEX_TICK_SECONDS, SearchReindex
from bot.services import Services
from bot.update_order import ChatOrderedUpdates
from news.metrics import NO_METRICS, Metrics
from news.ratelimit import Limits, SendLimiter
from news.repositories import StorageError
from storage.connect import bundled_version

log = logging.getLogger(__name__)

# Start-up while Telegram is out of reach: the longest pause between two tries (1, 2, 4… s).
REACH_PAUSE_MAX = 60.0

# Edited messages too: a command fixed by editing it is answered again (bot/handlers/edits.py).
ALLOWED_UPDATES = [
    "message", "edited_message", "channel_post", "edited_channel_post", "callback_query", "my_chat_member",
    "inline_query",
]
# Short enough that a process taking over a dead one's digests starts soon after its lease
# ends (bot/processes.py); a tick with nothing due is one indexed UPDATE that changes nothing.
DIGEST_TICK_SECONDS = 5
# Alerts are news breaking: the outbox is looked at every few seconds (an indexed query).
ALERT_TICK_SECONDS = 2
# Edits of sent alerts wait minutes anyway (news.services.alerts.EDIT_DELAY): a slower tick.
ALERT_EDIT_TICK_SECONDS = 5
POLL_TICK_SECONDS = 30

# One of the application's post_init / post_stop / post_shutdown hooks.
AppHook = Callable[[AkhbarApp], Coroutine[Any, Any, None]]


async def publish_commands(app: AkhbarApp) -> None:
    """The command menu, in each interface language (and Arabic for every other one)."""
    for lang, commands in COMMANDS.items():
        menu = [BotCommand(command, description) for command, description in commands.items()]
        await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=lang)
        if lang == DEFAULT_LANGUAGE:
            await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault())


def _job_queue(app: AkhbarApp) -> JobQueue[AkhbarContext]:
    if app.job_queue is None:  # PTB makes one when its job-queue extra is installed
        raise RuntimeError("the application has no job queue: install python-telegram-bot[job-queue]")
    return app.job_queue


def _updater(app: AkhbarApp) -> Updater:
    if app.updater is None:  # ApplicationBuilder makes one unless told not to
        raise RuntimeError("the application has no updater to take updates with")
    return app.updater


async def run_hook(hook: AppHook | None, app: AkhbarApp) -> None:
    """Run one of the application's hooks (`app.post_init`, ...) as `run_polling` does: if set.
    build_application sets all three."""
    if hook is not None:
        await hook(app)


def _rate_share(app: AkhbarApp) -> Callable[[int], None]:
    """What a heartbeat tells the rate limiter: the number of live processes sharing the rate."""
    limiter = app.bot.rate_limiter
    rate, paid = app.bot_data.settings.send_rate, app.bot_data.settings.paid_broadcast

    def share(live: int) -> None:
        if isinstance(limiter, AkhbarRateLimiter):
            limiter.limiter.set_rate(rate_share(rate, live, paid))

    return share


async def _post_init(app: AkhbarApp) -> None:
    data = app.bot_data
    settings = data.settings
    jobs_here = settings.role != RECEIVER
    services = data.services = await Services.open(settings, polling=jobs_here, metrics=data.metrics)
    # Every process sending to Telegram shares the rate, and claims its work, as a member.
    sends = f"{settings.send_rate:g}/s{', paid broadcasts' if settings.paid_broadcast else ''}"
    membership = data.membership = Membership(services.processes, settings.role, _rate_share(app), sends=sends)
    await membership.join()
    if settings.role != WORKER:  # a worker takes no updates: the menu is the receivers' business
        await publish_commands(app)
    data.charts = ChartDrawer()  # for /stats; its worker process starts with the first chart
    if jobs_here:
        _start_jobs(app, services, membership)
    if data.monitor is not None:
        await data.monitor.start(services)
    # What the process has loaded to work with (the follows' index, the story matcher's window,
    # the lexicons: hundreds of thousands of objects) lives as long as it does: out of the
    # cyclic collector's sight, whose full collections otherwise read all of it again and
    # again — 60-190 ms pauses, four in 40 s of an alert storm to 20,000 chats.  Reference
    # counting still frees what goes; what was frozen is given back to it at shutdown.
    gc.freeze()


def _start_jobs(app: AkhbarApp, services: Services, membership: Membership) -> None:
    """Digests, alerts and feed polling: the repeating jobs of a process that runs them."""
    data = app.bot_data
    engine = data.digests = DigestEngine(app.bot, services, membership=membership)
    assert services.poller is not None
    polling = data.polling = SourcePolling(app.bot, services, services.poller, membership)
    jobs = _job_queue(app)
    jobs.run_repeating(
        polling.tick, interval=POLL_TICK_SECONDS, first=5, name="source-polling",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    # One repeating tick for every subscriber (not one job each); a tick that comes late after
    # a slow moment still runs (no misfire grace limit) and missed ones collapse into one.
    jobs.run_repeating(
        engine.tick,
        interval=DIGEST_TICK_SECONDS,
        first=1,
        name="digest-tick",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    alerts = data.alerts = AlertEngine(app.bot, services, membership)
    jobs.run_repeating(
        alerts.tick, interval=ALERT_TICK_SECONDS, first=1, name="alerts",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    edits = data.alert_edits = AlertEditEngine(app.bot, services, membership)
    jobs.run_repeating(
        edits.tick, interval=ALERT_EDIT_TICK_SECONDS, first=3, name="alert-edits",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    # After an upgrade whose analyser reads words otherwise, the archive's search index is made
    # again in the background (nothing to do, the usual case: one read a minute, until done).
    reindex = data.search_reindex = SearchReindex(services.articles)
    jobs.run_repeating(
        reindex.tick, interval=REINDEX_TICK_SECONDS, first=10, name="search-reindex",
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )


async def _post_stop(app: AkhbarApp) -> None:
    data = app.bot_data
    for worker in (data.digests, data.polling, data.alerts, data.alert_edits, data.search_reindex):
        if worker is not None:
            await worker.stop()
    # After the sends in flight were recorded: what is still claimed is free for the others.
    if app.bot_data.membership is not None:
        await app.bot_data.membership.leave()


async def _post_shutdown(app: AkhbarApp) -> None:
    gc.unfreeze()  # frozen at start-up (_post_init): what was left in cycles can go now
    data = app.bot_data
    if data.charts is not None:
        charts, data.charts = data.charts, None
        await charts.close()
    if data.monitor is not None:
        await data.monitor.stop()
    if data.opened:
        services, data.services = data.services, None
        await services.close()


def _count_floods(app: AkhbarApp) -> Callable[[float], Awaitable[None]]:
    async def on_flood(_wait: float) -> None:
        if app.bot_data.opened:
            await app.bot_data.services.curation.count_flood()

    return on_flood


def build_application(settings: Settings) -> AkhbarApp:
    """The bot, ready to run; with settings.metrics_listen, counting, its listener's socket
    bound (or ListenError: the port is taken, the address is not this machine's)."""
    token = settings.require_token()
    metrics: Metrics = NO_METRICS
    monitor = None
    if settings.metrics_listen:
        metrics = PrometheusMetrics(settings.role)
        monitor = Monitor(metrics, bind(settings.metrics_listen))
    limiter = AkhbarRateLimiter(
        SendLimiter(Limits(per_second=settings.send_rate)), metrics=metrics, paid_replies=settings.paid_broadcast
    )
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        # The configured rate overall and each chat's pace, readers' replies ahead of digests,
        # 429s waited out and retried (see news/ratelimit.py, bot/limiter.py).
        .rate_limiter(limiter)
        # aiohttp rather than PTB's default httpx: about a sixth of the CPU per call, which is
        # what holds a broadcast's rate (see bot/aiohttp_request.py and the delivery benchmark).
        .request(AiohttpRequest(connection_pool_size=256, metrics=metrics))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, metrics=metrics))
        # Up to 16 updates at once, each chat's in the order received (bot/update_order.py).
        .concurrent_updates(ChatOrderedUpdates(max_running=16))
        # With metrics, each update's arrival is noted, for the time to its reply (bot/metrics.py).
        .update_queue(ArrivalQueue() if monitor is not None else asyncio.Queue())
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data.settings = settings
    app.bot_data.metrics, app.bot_data.monitor = metrics, monitor
    limiter.on_flood = _count_floods(app)
    if monitor is not None:
        # Before everything, flood control included: every update counted, its reply timed.
        app.add_handler(TypeHandler(Update, take_update), group=-2)
    register_all(app)
    return app


def _polling_error(app: AkhbarApp) -> Callable[[Exception], None]:
    """A failed getUpdates goes to the error handlers, as `run_polling` has it."""

    def report(error: Exception) -> None:
        app.create_task(app.process_error(update=None, error=error))

    return report


def webhook_options(settings: Settings) -> dict:
    """How PTB's webhook server listens, and what Telegram is told by setWebhook.

    Every request must carry the secret token (PTB answers 403 and drops the update
    otherwise); `akhbar run` makes a random one when AKHBAR_WEBHOOK_SECRET is not set.
    """
    if not settings.webhook_url or not settings.webhook_secret:
        raise ValueError("webhook mode needs settings.webhook_url and settings.webhook_secret")
    host, port = listen_address(settings.webhook_listen)
    return {
        "listen": host,
        "port": port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
    }


async def _start_webhook(updater: Updater, settings: Settings) -> None:
    """PTB's webhook server, on a socket bound here first: PTB itself binds only after telling
    Telegram the webhook and this run's secret, so a port already taken (by a bot running
    there, say) would end in a traceback, and leave Telegram posting to that bot with a secret
    it does not know.  A bind that fails is one line instead (ListenError), Telegram untold."""
    sock = bind(settings.webhook_listen, "--listen (AKHBAR_WEBHOOK_LISTEN)")
    options = {name: value for name, value in webhook_options(settings).items() if name not in ("listen", "port")}
    try:
        # PTB serves on a socket given as `unix` whatever its family (tornado's add_socket).
        await updater.start_webhook(unix=sock, **options)
    except BaseException:
        sock.close()
        raise
    log.info("listening for webhook updates on %s", settings.webhook_listen)


@asynccontextmanager
async def running(
    app: AkhbarApp, poll_timeout: int = 10, webhook: bool = False, updates: bool = True,
    stop: asyncio.Event | None = None,
) -> AsyncIterator[AkhbarApp]:
    """The bot taking updates inside the current event loop, for as long as the block runs:
    by polling, or with `webhook` from its settings' webhook; without `updates`, none at all
    (`akhbar worker`: its jobs only).  `stop` (SIGINT, SIGTERM) ends a wait for another
    poller at once: the block then runs without polling, to stop at once.

    What `run_polling` / `run_webhook` do, minus taking over the loop and the signals: the
    demo and the tests run the bot beside other coroutines (the emulator, a terminal chat).
    """
    await app.initialize()
    try:
        updater = _updater(app)
        await run_hook(app.post_init, app)
        if not updates:
            pass
        elif webhook:
            await _start_webhook(updater, app.bot_data.settings)
        else:
            if await _refuse_a_second_poller(app, stop or asyncio.Event()):
                await updater.start_polling(
                    timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES, error_callback=_polling_error(app)
                )
        await app.start()
        # Said once the updates come (the polling lease held, the webhook's address bound): a
        # process refused either stops without having said it.
        log.info("Akhbar is ready as @%s (%s)", app.bot.username, app.bot_data.settings.role)
        try:
            yield app
        finally:
            if isinstance(limiter := app.bot.rate_limiter, AkhbarRateLimiter):
                limiter.retrying = False
            if updater.running:
                await updater.stop()
            await app.stop()
            await run_hook(app.post_stop, app)
    finally:
        await app.shutdown()
        await run_hook(app.post_shutdown, app)


# Held by the process taking the bot's updates by polling, while it lives.
POLLING_LEASE = "telegram-updates"
# How long a new poller waits for the lease: a process that crashed keeps it until its
# heartbeat is LEASE_SECONDS old (a restart on another host name, a container's, is not known
# dead at once), and a service manager restarting it at once must not be refused meanwhile.
POLLER_WAIT_SECONDS = LEASE_SECONDS + 2 * BEAT_SECONDS


async def _refuse_a_second_poller(app: AkhbarApp, stop: asyncio.Event) -> bool:
    """Telegram gives a bot's updates to one getUpdates at a time: two `akhbar run` on one
    database each had the other's request ended («Conflict: terminated by other getUpdates
    request»), a traceback every few seconds in both logs, updates answered by either.  The
    second waits for the lease while a crashed holder's heartbeat could still be fresh, then is
    refused in one line; with its database out of reach (no heartbeat) a process is not refused
    on a guess.  False if `stop` came first (Ctrl-C while it waits: it stops, not 24 s later)."""
    membership = app.bot_data.membership
    if membership is None:
        return True
    loop = asyncio.get_running_loop()
    deadline = loop.time() + POLLER_WAIT_SECONDS
    while membership.fresh and not await membership.hold(POLLING_LEASE):
        if stop.is_set():
            return False
        if loop.time() >= deadline:
            holder = await membership.lease_holder(POLLING_LEASE)
            await membership.leave()  # (post_stop never runs on this road: it would count as live 20 s)
            raise ConfigError(
                f"another Akhbar process (process {holder} in the database) is taking this bot's updates from Telegram "
                "already, and two would take them from each other; stop it first, or start this one as `akhbar "
                "worker` (digests, alerts and feeds, no updates)"
            )
        if deadline - loop.time() > POLLER_WAIT_SECONDS - BEAT_SECONDS:  # said once
            log.info("another process takes the bot's updates; waiting up to %.0f s for it to stop", POLLER_WAIT_SECONDS)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), BEAT_SECONDS)
    return True


def run(settings: Settings) -> None:
    """`akhbar run`: take updates until SIGINT/SIGTERM — by polling Telegram, or, with a
    webhook URL set, from Telegram's POSTs."""
    asyncio.run(_serve(settings, updates=True))


def run_worker(settings: Settings) -> None:
    """`akhbar worker`: deliver digests and alerts and poll feeds, taking no updates, until
    SIGINT/SIGTERM; any number of them share the work on one PostgreSQL database."""
    asyncio.run(_serve(replace(settings, role=WORKER), updates=False))


async def _serve(settings: Settings, updates: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    app = build_application(settings)
    if not await reach_telegram(app, stop):
        return  # stopped before Telegram ever answered
    async with running(app, webhook=bool(settings.webhook_url) and updates, updates=updates, stop=stop):
        watch = asyncio.create_task(_watch_schema(app, stop), name="schema-watch")
        await stop.wait()
    moved = await watch
    log.info("%s stopped", "worker" if settings.role == WORKER else "bot")
    if moved is not None:
        raise ConfigError(moved)


# How often a running process reads the schema's version (one tiny query).
SCHEMA_WATCH_SECONDS = 10.0


async def _watch_schema(app: AkhbarApp, stop: asyncio.Event) -> str | None:
    """Until `stop`: a newer Akhbar refuses to migrate the schema while this process beats
    (storage.db.refuse_migrating_under), but this one may have been silent past its lease (its
    machine asleep, the database out of its reach) when a newer one migrated.  Its code reads
    the tables as they were: it stops, and says why (returned; `stop` set)."""
    db = app.bot_data.services.db
    known = bundled_version(db)
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SCHEMA_WATCH_SECONDS)
        if stop.is_set():
            return None
        try:
            version = await db.schema_version()
        except StorageError:
            continue  # out of reach: the heartbeat's line says so
        if version > known:
            stop.set()
            return (
                f"{db.label}: migrated to schema version {version} by a newer Akhbar while this one (for version "
                f"{known}) ran, its tables read as they were: this process stopped; start the new version here too"
            )


async def reach_telegram(app: AkhbarApp, stop: asyncio.Event) -> bool:
    """Start-up's first call to Telegram (getMe, in `app.initialize`), tried again and again
    while Telegram is out of reach — a service started before the network comes up by itself
    once it is there — with one line each time, pauses growing to REACH_PAUSE_MAX.  False if
    `stop` came first.  A token Telegram refuses is a ConfigError: no retry cures it."""
    pause = 1.0
    limiter = app.bot.rate_limiter
    if isinstance(limiter, AkhbarRateLimiter):  # this loop is the retry: one line a try, its pauses as said
        limiter.retrying = False
    try:
        while not stop.is_set():
            try:
                await _initialize(app)
                return True
            except NetworkError as error:  # unreachable, DNS, refused, timed out, Telegram's 5xx
                log.warning("Telegram is out of reach (%s); trying again in %.0f s", error.message[:200], pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, REACH_PAUSE_MAX)
    finally:
        if isinstance(limiter, AkhbarRateLimiter):
            limiter.retrying = True
    await _close_connections(app)
    return False


async def reach_telegram_once(app: AkhbarApp) -> None:
    """A one-off command's first call to Telegram (`akhbar digest --now`): a refused token, or
    Telegram out of reach, is a ConfigError — one line, never a traceback, never the token;
    the command is run again by hand (or by its timer), so it is not retried here."""
    try:
        await _initialize(app)
    except NetworkError as error:
        await _close_connections(app)
        said = error.message.replace(app.bot.token, "***")[:200]  # printed, not logged: no filter scrubs it
        raise ConfigError(f"Telegram is out of reach ({said}); nothing was sent: try again once it answers") from None


async def _initialize(app: AkhbarApp) -> None:
    try:
        await app.initialize()
    except InvalidToken as refused:
        await _close_connections(app)
        # PTB's message quotes the token itself: never shown.  What the server answered is its
        # cause: 401 is the token's; 404 an address that is not the Bot API's (Telegram answers
        # 404 to a malformed token, which the settings refuse before any call).
        answered = refused.__cause__
        if isinstance(answered, InvalidToken) and "Not Found" in answered.message:
            raise ConfigError(
                f"Telegram's Bot API is not at TELEGRAM_API_URL={app.bot_data.settings.api_url}: getMe there answered "
                "404 Not Found (the address the bot calls is TELEGRAM_API_URL/bot<token>/getMe; leave it unset for "
                "Telegram's own)"
            ) from None
        raise ConfigError(
            "Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN (from @BotFather)"
        ) from None


async def _close_connections(app: AkhbarApp) -> None:
    """The HTTP sessions a failed start-up opened: the bot never initialized, its shutdown
    would skip them.  PTB keeps both there (getUpdates' and the other calls')."""
    await asyncio.gather(*(request.shutdown() for request in app.bot._request))
