# The Python side of PythonAiohttpInteropTest: aiohttp's client (Debian python3-aiohttp) against
# our server. Prints one JSON object of what it saw; the Java test checks it.
import asyncio, hashlib, json, sys
import aiohttp

async def main(base):
    out = {}
    connector = aiohttp.TCPConnector(limit=4)
    # unsafe=True: aiohttp's cookie jar keeps no cookies of IP-address hosts otherwise
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        async with s.get(base + "/") as r:
            out["hello"] = [r.status, r.headers["Content-Type"], await r.text()]
        async with s.get(base + "/json") as r:
            out["json"] = await r.json()
        async with s.post(base + "/form", data={"name": "Ada", "tag": "x"}) as r:
            out["urlencoded"] = await r.json()
        form = aiohttp.FormData()
        form.add_field("title", "report")
        form.add_field("doc", b"\x00\x01" * 5000, filename="r.bin", content_type="application/octet-stream")
        async with s.post(base + "/form", data=form) as r:
            out["multipart"] = await r.json()
        body = bytes(range(256)) * 4096
        async def gen():
            for i in range(0, len(body), 65536):
                yield body[i:i + 65536]
        async with s.post(base + "/echo", data=gen()) as r:
            out["chunked_upload"] = [await r.text(), "len=%d sha=%s chunked=true" % (len(body), hashlib.sha256(body).hexdigest())]
        async with s.get(base + "/stream") as r:
            lines = []
            async for line in r.content:
                lines.append(line.decode())
            out["stream"] = lines
        async with s.get(base + "/events") as r:
            out["events"] = [r.headers["Content-Type"], (await r.text()).count("event: tick")]
        async with s.get(base + "/big") as r:  # aiohttp asks for gzip and decodes it
            out["big"] = [r.headers.get("Content-Encoding"), len(await r.text())]
        async with s.head(base + "/static/data.bin") as r:
            out["head"] = [r.status, r.headers["Content-Length"], len(await r.read())]
        async with s.get(base + "/static/data.bin", headers={"Range": "bytes=10-19"}) as r:
            out["range"] = [r.status, r.headers["Content-Range"], len(await r.read())]
        async with s.get(base + "/cookie") as r:
            await r.text()
        async with s.get(base + "/whoami") as r:
            out["cookie"] = await r.text()
        async with s.get(base + "/nope") as r:
            out["missing"] = r.status
        async with s.put(base + "/") as r:
            out["not_allowed"] = [r.status, r.headers.get("Allow")]
        results = await asyncio.gather(*[s.get(base + "/slow") for _ in range(8)])
        out["concurrent"] = [r.status for r in results]
        for r in results:
            r.release()
        out["pooled_connections"] = len(connector._conns.get(list(connector._conns)[0], [])) if connector._conns else 0
    print(json.dumps(out))

base = sys.argv[1]
asyncio.run(main(base))
