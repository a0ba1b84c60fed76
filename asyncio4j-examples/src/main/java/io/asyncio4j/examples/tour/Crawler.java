package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.Task;
import io.asyncio4j.http.client.ClientOptions;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Crawls four pages of a small local web server concurrently with an HTTP client session (as one
 * writes it with aiohttp's {@code ClientSession}), and shows that the four take about as long as
 * the slowest one (one second), not as long as all of them one after another (two seconds).
 *
 * <p>The program starts the server itself, on a free port of 127.0.0.1, so that it needs no
 * network: a stream server that answers each page by hand after its own delay.
 *
 * {@snippet lang = "python" :
 * PAGES = {"/page/1": 0.2, "/page/2": 0.5, "/page/3": 1.0, "/page/4": 0.3}  # path: delay
 *
 * async def serve_page(reader, writer):
 *     head = await reader.readuntil(b"\r\n\r\n")  # the request line and the headers
 *     path = head.decode("latin-1").split(" ")[1]
 *     await asyncio.sleep(PAGES[path])  # a slow page
 *     body = f"<h1>Page {path}</h1>\n".encode("latin-1")
 *     writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
 *                  + f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
 *     await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def fetch(session, url):
 *     async with session.get(url) as response:  # raise_for_status: a 4xx or 5xx raises
 *         v = response.version
 *         print(f"{url}: HTTP/{v.major}.{v.minor} {response.status} {response.reason}")
 *         return await response.read()
 *
 * async def main():
 *     server = await asyncio.start_server(serve_page, "127.0.0.1", 0)
 *     port = server.sockets[0].getsockname()[1]
 *     async with server, aiohttp.ClientSession(raise_for_status=True) as session:
 *         urls = [f"http://127.0.0.1:{port}{path}" for path in PAGES]
 *         start = time.perf_counter()
 *         pages = await asyncio.gather(*(fetch(session, url) for url in urls))
 *         print(f"Fetched {len(pages)} pages in {time.perf_counter() - start:.2f} sec")
 *     print(f"Slowest page: {max(PAGES.values()):.2f} sec")
 *     print(f"All pages one after another: {sum(PAGES.values()):.2f} sec")
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code async with server, aiohttp.ClientSession() as session} becomes try-with-resources:
 * closing the session waits for its requests and closes its pool, closing the server stops
 * listening and waits until every connection it accepted is closed. Each response is closed with
 * try-with-resources too, which releases its connection (aiohttp's {@code async with
 * session.get(url)}).
 */
public final class Crawler {
    private Crawler() {
    }

    /** A page of the server: its path and how long the server takes to answer it. */
    private record Page(String path, Duration delay) {
    }

    private static final List<Page> PAGES = List.of(
            new Page("/page/1", Duration.ofMillis(200)),
            new Page("/page/2", Duration.ofMillis(500)),
            new Page("/page/3", Duration.ofMillis(1000)),
            new Page("/page/4", Duration.ofMillis(300)));

    /** The blank line that ends a request's head. */
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(ISO_8859_1);

    /**
     * Runs the example on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        demo(System.out);
    }

    /**
     * Runs the example on a new event loop: starts the page server, fetches its four pages
     * concurrently, printing each status line as it arrives, then prints how long the fetches
     * took, the slowest page's delay and the sum of the delays. Blocks the calling thread for
     * about one second; must not be called from a running loop.
     *
     * @param out where the program prints
     */
    public static void demo(PrintStream out) {
        run(() -> {
            try (Server server = Streams.startServer(Crawler::servePage, "127.0.0.1", 0);
                    ClientSession session = ClientSession.open(ClientOptions.defaults().withRaiseForStatus(true))) {
                int port = server.port();
                List<String> urls = PAGES.stream()
                        .map(page -> "http://127.0.0.1:" + port + page.path())
                        .toList();
                long start = System.nanoTime();
                List<Task<byte[]>> fetches = urls.stream()
                        .map(url -> createTask(() -> fetch(out, session, url)))
                        .toList();
                List<byte[]> pages = await(gather(fetches));
                out.println("Fetched " + pages.size() + " pages in " + secondsSince(start) + " sec");
            }
            Duration slowest = PAGES.stream().map(Page::delay).max(Duration::compareTo).orElseThrow();
            Duration sum = PAGES.stream().map(Page::delay).reduce(Duration.ZERO, Duration::plus);
            out.println("Slowest page: " + seconds(slowest.toNanos()) + " sec");
            out.println("All pages one after another: " + seconds(sum.toNanos()) + " sec");
        });
    }

    /** The server's side of one connection: reads a request, waits the page's delay, answers. */
    private static void servePage(StreamReader reader, StreamWriter writer) throws IOException {
        String head = new String(reader.readUntil(END_OF_HEAD), ISO_8859_1);
        String path = head.split(" ")[1];
        Page page = PAGES.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
        sleep(page.delay());
        byte[] body = ("<h1>Page " + path + "</h1>\n").getBytes(ISO_8859_1);
        writer.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
        writer.write(body);
        writer.drain();
        writer.close();
        writer.waitClosed();
    }

    /** The client's side: one GET through the session, printing the status line; returns the body. */
    private static byte[] fetch(PrintStream out, ClientSession session, String url) throws IOException {
        try (ClientResponse response = session.get(url)) {
            out.println(url + ": " + response.version().text() + " " + response.status() + " " + response.reason());
            return response.read();
        }
    }

    private static String secondsSince(long startNanos) {
        return seconds(System.nanoTime() - startNanos);
    }

    private static String seconds(long nanos) {
        // Locale.ROOT: Python's :.2f always prints a dot.
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
