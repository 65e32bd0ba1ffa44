"""The aiohttp network backend behaves as PTB's own: fields, files, timeouts, failures."""

import asyncio

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.aiohttp_request import AiohttpRequest


@pytest.fixture
async def server():
    received = []

    async def echo(request):
        form = await request.post()
        received.append({key: (value if isinstance(value, str) else (value.filename, value.file.read()))
                         for key, value in form.items()})
        return web.json_response({"ok": True, "result": True})

    async def stall(request):
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async def hang_up(request):
        request.transport.abort()
        raise asyncio.CancelledError

    async def moved(request):
        raise web.HTTPFound("/echo")

    async def bot_api(request):
        """Just enough of the Bot API for a Bot to start and send: records what each call carried."""
        if request.match_info["method"] == "getMe":
            return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Akhbar", "username": "a_bot"}})
        form = await request.post()
        received.append({key: (value if isinstance(value, str) else (value.filename, value.file.read()))
                         for key, value in form.items()})
        message = {"message_id": len(received), "date": 0, "chat": {"id": 42, "type": "private"}}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/moved", moved)
    app.router.add_post("/echo", echo)
    app.router.add_post("/bot{token}/{method}", bot_api)
    app.router.add_post("/stall", stall)
    app.router.add_post("/hang-up", hang_up)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", received
    await runner.cleanup()


async def test_fields_and_files_arrive_as_telegram_expects(server):
    url, received = server
    bot = Bot("123:abc", base_url=f"{url}/bot", request=AiohttpRequest(connection_pool_size=2))
    async with bot:
        sent = await bot.send_message(chat_id=42, text="خبر <b>عاجل</b>")
        await bot.send_document(chat_id=42, document=InputFile(b"%PDF-1.4 tiny", filename="report.pdf"))
    assert sent.message_id == 1 and sent.chat.id == 42
    assert received[0] == {"chat_id": "42", "text": "خبر <b>عاجل</b>"}
    assert received[1]["chat_id"] == "42" and received[1]["document"] == ("report.pdf", b"%PDF-1.4 tiny")


async def test_a_slow_server_is_a_timeout_and_a_hang_up_a_network_error(server):
    url, _ = server
    async with AiohttpRequest(read_timeout=0.2) as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{url}/stall", "POST")
        with pytest.raises(NetworkError) as hung_up:
            await request.do_request(f"{url}/hang-up", "POST")
        assert "aiohttp" in hung_up.value.message
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{url}/echo", "POST")


async def test_a_failure_never_carries_the_token_and_redirects_are_not_followed(server):
    url, received = server
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as failed:
            await request.do_request("http://[::1/bot123456:SECRET-token/sendMessage", "POST")
        assert "SECRET-token" not in failed.value.message and failed.value.__cause__ is None
        status, _ = await request.do_request(f"{url}/moved", "POST")
    assert status == 302 and received == []  # Telegram never redirects; a redirect is not followed


async def test_a_proxy_from_the_environment_carries_every_call(monkeypatch):
    """Where Telegram is filtered, HTTPS_PROXY / HTTP_PROXY is how the bot reaches it: each call
    goes through the proxy."""
    relayed = []

    async def proxy(request):
        form = await request.post()
        relayed.append((request.method, str(request.url), dict(form)))
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{runner.addresses[0][1]}")
    try:
        async with AiohttpRequest() as request:
            for n in range(2):
                fields = RequestData([RequestParameter.from_input("chat_id", 42), RequestParameter.from_input("text", f"خبر {n}")])
                status, _ = await request.do_request("http://telegram.invalid/bot1:x/sendMessage", "POST", fields)
                assert status == 200
    finally:
        await runner.cleanup()
    assert relayed == [("POST", "http://telegram.invalid/bot1:x/sendMessage", {"chat_id": "42", "text": f"خبر {n}"})
                       for n in range(2)]
