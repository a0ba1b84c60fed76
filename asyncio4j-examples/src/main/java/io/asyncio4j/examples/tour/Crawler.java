package io.asyncio4j.examples.tour;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.asyncio4j.Task;
import io.asyncio4j.transport.Server;
import io.asyncio4j.stream.StreamReader;
import io.asyncio4j.stream.StreamWriter;
import io.asyncio4j.stream.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Crawls four pages of a small local web server concurrently, speaking HTTP by hand over
 * {@code open_connection}, and shows that the four take about as long as the slowest one (one
 * second), not as long as all of them one after another (two seconds).
 *
 * <p>The program starts the server itself, on a free port of 127.0.0.1, so that it needs no
 * network: each page is answered after its own delay.
 *
 * {@snippet lang = "python" :
 * PAGES = {"/page/1": 0.2, "/page/2": 0.5, "/page/3": 1.0, "/page/4": 0.3}  # path: delay
 *
 * async def serve_page(reader, writer):
 *     head = await reader.readuntil(b"\r\n\r\n")  # the request line and the headers
 *     path = head.decode("latin-1").split(" ")[1]
 *     await asyncio.sleep(PAGES[path])  # a slow page
 *     body = f"<h1>Page {path}</h1>\n".encode("latin-1")
 *     writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
 *                  + f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
 *     await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def fetch(url):
 *     parts = urllib.parse.urlsplit(url)
 *     reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
 *     try:
 *         request = f"GET {parts.path} HTTP/1.0\r\nHost: {parts.netloc}\r\n\r\n"
 *         writer.write(request.encode("latin-1"))
 *         await writer.drain()
 *         status = (await reader.readline()).decode("latin-1").strip()
 *         print(f"{url}: {status}")
 *         length = 0
 *         while header := (await reader.readline()).decode("latin-1").strip():
 *             name, _, value = header.partition(":")
 *             if name.strip().lower() == "content-length":
 *                 length = int(value)
 *         return await reader.readexactly(length)
 *     finally:
 *         writer.close()
 *         await writer.wait_closed()
 *
 * async def main():
 *     server = await asyncio.start_server(serve_page, "127.0.0.1", 0)
 *     port = server.sockets[0].getsockname()[1]
 *     async with server:
 *         urls = [f"http://127.0.0.1:{port}{path}" for path in PAGES]
 *         start = time.perf_counter()
 *         pages = await asyncio.gather(*(fetch(url) for url in urls))
 *         print(f"Fetched {len(pages)} pages in {time.perf_counter() - start:.2f} sec")
 *     print(f"Slowest page: {max(PAGES.values()):.2f} sec")
 *     print(f"All pages one after another: {sum(PAGES.values()):.2f} sec")
 *
 * asyncio.run(main())
 * }
 *
 * <p>{@code async with server} becomes try-with-resources: closing the server stops listening
 * and waits until every connection it accepted is closed. Each fetch closes its connection with
 * try-with-resources too, which is {@code writer.close()} then {@code writer.wait_closed()}.
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
            try (Server server = Streams.startServer(Crawler::servePage, "127.0.0.1", 0)) {
                int port = server.port();
                List<String> urls = PAGES.stream()
                        .map(page -> "http://127.0.0.1:" + port + page.path())
                        .toList();
                long start = System.nanoTime();
                List<Task<byte[]>> fetches = urls.stream()
                        .map(url -> createTask(() -> fetch(out, url)))
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
        writer.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
        writer.write(body);
        writer.drain();
        writer.close();
        writer.waitClosed();
    }

    /** The client's side: one HTTP/1.0 GET, printing the status line; returns the body. */
    private static byte[] fetch(PrintStream out, String url) throws IOException {
        URI parts = URI.create(url);
        try (Streams.Connection connection = Streams.openConnection(parts.getHost(), parts.getPort())) {
            StreamReader reader = connection.reader();
            StreamWriter writer = connection.writer();
            String request = "GET " + parts.getPath() + " HTTP/1.0\r\nHost: " + parts.getAuthority() + "\r\n\r\n";
            writer.write(request.getBytes(ISO_8859_1));
            writer.drain();
            String status = readLine(reader);
            out.println(url + ": " + status);
            int length = 0;
            String header;
            while (!(header = readLine(reader)).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("content-length")) {
                    length = Integer.parseInt(header.substring(colon + 1).strip());
                }
            }
            return reader.readExactly(length);
        }
    }

    /** Reads a line of an HTTP head, without its line end. */
    private static String readLine(StreamReader reader) throws IOException {
        return new String(reader.readLine(), ISO_8859_1).strip();
    }

    private static String secondsSince(long startNanos) {
        return seconds(System.nanoTime() - startNanos);
    }

    private static String seconds(long nanos) {
        // Locale.ROOT: Python's :.2f always prints a dot.
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
