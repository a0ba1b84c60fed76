"""WebSocket peers for asyncio4j's interop tests: Python's websockets and aiohttp, as clients of
our server (printing one JSON line of what they saw) and as echo servers for our client
(printing the port, then serving until stdin closes)."""
import asyncio, json, os, sys


async def websockets_client(url):
    import websockets
    out = {}
    async with websockets.connect(url, max_size=2**24) as ws:
        out["extensions"] = [e.name for e in ws.extensions]
        await ws.send("hello ✓")
        out["text"] = await ws.recv()
        data = os.urandom(100_000)
        await ws.send(data)
        out["binary"] = (await ws.recv()) == data
        await ws.send(["frag", "ment", "ed"])            # a fragmented message
        out["fragmented"] = await ws.recv()
        pong = await ws.ping(b"pp")
        await asyncio.wait_for(pong, 5)
        out["pong"] = True
        await ws.send("close-me")
        try:
            await ws.recv()
        except websockets.ConnectionClosed as e:
            out["close"] = [e.rcvd.code, e.rcvd.reason]
    print(json.dumps(out))


async def aiohttp_client(url):
    import aiohttp
    out = {}
    async with aiohttp.ClientSession() as s:
        async with s.ws_connect(url, compress=15, max_msg_size=2**24, autoping=True) as ws:
            out["extensions"] = ["permessage-deflate"] if ws.compress else []
            await ws.send_str("hello ✓")
            out["text"] = await ws.receive_str()
            data = os.urandom(100_000)
            await ws.send_bytes(data)
            out["binary"] = (await ws.receive_bytes()) == data
            await ws.send_json({"a": [1, 2]})
            out["json"] = await ws.receive_json()
            await ws.send_str("close-me")
            msg = await ws.receive()
            out["close"] = [ws.close_code, msg.extra or ""]
    print(json.dumps(out))


async def serve_websockets():
    import websockets

    async def handler(ws, path=None):
        async for m in ws:
            if m == "close-me":
                await ws.close(4000, "asked to")
                return
            await ws.send(m)

    async with websockets.serve(handler, "127.0.0.1", 0, ping_interval=None, max_size=2**24) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


async def serve_aiohttp():
    from aiohttp import web, WSMsgType

    async def handler(request):
        ws = web.WebSocketResponse(max_msg_size=2**24)
        await ws.prepare(request)
        async for m in ws:
            if m.type == WSMsgType.TEXT:
                if m.data == "close-me":
                    await ws.close(code=4000, message=b"asked to")
                    break
                await ws.send_str(m.data)
            elif m.type == WSMsgType.BINARY:
                await ws.send_bytes(m.data)
        return ws

    app = web.Application()
    app.router.add_get("/", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "websockets-client":
        asyncio.run(websockets_client(sys.argv[2]))
    elif mode == "aiohttp-client":
        asyncio.run(aiohttp_client(sys.argv[2]))
    elif mode == "websockets-server":
        asyncio.run(serve_websockets())
    elif mode == "aiohttp-server":
        asyncio.run(serve_aiohttp())
    else:
        raise SystemExit("unknown mode " + mode)
