# A Python aiohttp server for the asyncio4j client's interop test: prints "ready PORT", serves
# until killed. Each route answers what it got, so the Java side checks both directions.
import asyncio
import sys

from aiohttp import web


async def hello(request):
    return web.Response(text="Hello from aiohttp")


async def echo_json(request):
    data = await request.json()
    return web.json_response({"got": data, "ct": request.content_type})


async def echo_form(request):
    form = await request.post()
    return web.json_response({k: form.getall(k) for k in form.keys()})


async def echo_multipart(request):
    reader = await request.multipart()
    out = {}
    while True:
        part = await reader.next()
        if part is None:
            break
        data = await part.read(decode=False)
        out[part.name] = [part.filename, len(data), data[-1] if data else -1]
    return web.json_response(out)


async def chunked_upload(request):
    total = 0
    async for chunk in request.content.iter_any():
        total += len(chunk)
    return web.json_response({"bytes": total, "chunked": request.headers.get("Transfer-Encoding", "")})


async def stream(request):
    resp = web.StreamResponse()
    resp.content_type = "text/plain"
    await resp.prepare(request)
    for i in range(20):
        await resp.write(("row %d\n" % i).encode())
        await asyncio.sleep(0.001)
    await resp.write_eof()
    return resp


async def compressed(request):
    resp = web.Response(text="squeeze " * 20000)
    resp.enable_compression()
    return resp


async def cookie(request):
    resp = web.Response(text="cookie set")
    resp.set_cookie("session", "py123", path="/")
    return resp


async def show_cookie(request):
    return web.Response(text=request.cookies.get("session", "none"))


async def redirect(request):
    raise web.HTTPFound("/hello")


async def status(request):
    raise web.HTTPServiceUnavailable(text="busy")


async def query(request):
    return web.json_response({k: request.query.getall(k) for k in request.query.keys()})


async def main():
    app = web.Application()
    app.router.add_get("/hello", hello)
    app.router.add_post("/json", echo_json)
    app.router.add_post("/form", echo_form)
    app.router.add_post("/multipart", echo_multipart)
    app.router.add_put("/upload", chunked_upload)
    app.router.add_get("/stream", stream)
    app.router.add_get("/compressed", compressed)
    app.router.add_get("/cookie", cookie)
    app.router.add_get("/show-cookie", show_cookie)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/busy", status)
    app.router.add_get("/query", query)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print("ready", port, flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
