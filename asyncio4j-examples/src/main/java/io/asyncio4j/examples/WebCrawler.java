package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gatherSettled;
import static io.asyncio4j.Asyncio.run;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;
import io.asyncio4j.Timeout;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.client.ClientOptions;
import io.asyncio4j.http.client.ClientResponse;
import io.asyncio4j.http.client.ClientSession;
import io.asyncio4j.http.client.ClientTimeout;
import io.asyncio4j.http.client.ClientTimeoutError;
import io.asyncio4j.queue.PriorityQueue;
import io.asyncio4j.queue.QueueShutDown;
import io.asyncio4j.sync.Held;
import io.asyncio4j.sync.Semaphore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A breadth-first web crawler, the program the tour's {@code Crawler} grows into: from a start
 * URL it follows the links of HTML pages, shallowest first, down to a depth and up to a number of
 * pages, with a fixed number of worker tasks reading one queue (asyncio's producer-consumer
 * pattern) and one shared {@link ClientSession}.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j example crawl http://127.0.0.1:8080/ --depth 3 --max-pages 500 --concurrency 16
 * ./asyncio4j example crawl          # the demo: a generated site of 300 pages on our own server
 * }
 *
 * <p>Options: {@code --depth N} (2: the start page is depth 0), {@code --max-pages N} (100),
 * {@code --concurrency N} (8 workers, so at most 8 requests at once in all), {@code --per-host N}
 * (at most N requests at once to one host and port; by default the concurrency alone bounds
 * them), {@code --timeout SECONDS} (10, for each page whole), {@code --total-timeout SECONDS}
 * (none; for the whole crawl, which then stops as on Ctrl-C), {@code --all-hosts} (follow links
 * to other hosts too; by default only the start URL's host and port), {@code --quiet} (no
 * progress line). The per-host limit is a semaphore per host that a worker takes before the
 * page's time limit starts, so waiting for a busy host does not count against the page (the
 * session's own per-host connection limit would: its pool wait is part of aiohttp's total). A
 * progress line on standard error shows pages done, queued and failed and the rate, redrawn at
 * most every 200 ms; Ctrl-C stops the crawl, and the summary is printed in every case: pages,
 * bytes, statuses by class, errors by type, the elapsed time, pages per second and the slowest
 * pages. No robots.txt is read: crawl only sites you are allowed to.
 *
 * <p>Without a URL (or with {@code --demo}) it crawls a {@link DemoSite} instead: 300 pages with a
 * seeded link graph, some slow, some answering 404 or 500 and one never answering, served by our
 * own server on a free loopback port of the same loop and stopped at the end. The demo's defaults
 * are depth 10 (the whole site), 1,000 pages and 2 s a page, so that it ends in a few seconds; the
 * options above change them.
 *
 * {@snippet lang = "python" :
 * async def worker(session, queue, seen, summary, options):
 *     while True:
 *         depth, url = await queue.get()        # a PriorityQueue: the shallowest first
 *         try:
 *             async with session.get(url) as resp:
 *                 body = await resp.content.read(options.max_body)
 *                 summary.record(url, resp.status, len(body))
 *                 if depth < options.max_depth and resp.content_type == "text/html":
 *                     for link in extract_links(body, resp.url):
 *                         if admit(link, seen, options):  # same host, not seen, page budget
 *                             queue.put_nowait((depth + 1, link))
 *         except (aiohttp.ClientError, asyncio.TimeoutError) as e:
 *             summary.failed(url, e)
 *         finally:
 *             queue.task_done()
 *
 * async def crawl(options):
 *     queue = asyncio.PriorityQueue()
 *     queue.put_nowait((0, options.start))
 *     timeout = aiohttp.ClientTimeout(total=options.timeout)
 *     async with aiohttp.ClientSession(timeout=timeout) as session:
 *         workers = [asyncio.create_task(worker(session, queue, ...)) for _ in range(options.concurrency)]
 *         await queue.join()                   # every admitted page fetched (or failed)
 *         queue.shutdown()                     # the idle workers' get() raises QueueShutDown
 *         await asyncio.gather(*workers, return_exceptions=True)
 * }
 *
 * <p>Links come from the {@code href} of {@code <a>} and {@code <area>} tags (and a {@code <base
 * href>}), found by a small scanner rather than a regular expression: it skips comments, scripts
 * and styles, reads quoted and unquoted attribute values, and decodes the common character
 * references ({@code &amp;} in query strings). URLs are normalized before they are compared:
 * resolved against the page (after redirects), fragment dropped, scheme and host in lower case,
 * default port dropped, dot segments removed, an empty path made {@code /}.
 */
public final class WebCrawler {
    /** The most body bytes read of one page; the rest is not read (and the page not parsed past it). */
    static final int MAX_BODY = 8 * 1024 * 1024;

    /** The shortest time between two redraws of the progress line. */
    static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

    /**
     * What to crawl and how.
     *
     * @param start the first URL (depth 0)
     * @param maxDepth the deepest link depth followed (0: the start page only)
     * @param maxPages the most pages fetched
     * @param concurrency the number of worker tasks, so the most requests at once in all
     * @param perHost the most requests at once to one host and port, or 0 for no limit below the
     *     concurrency
     * @param sameHost whether only links to the start URL's host and port are followed
     * @param timeout the longest one page may take, connection and body included (not the wait
     *     for its host's turn under {@code perHost})
     * @param totalTimeout the longest the whole crawl may take, or {@code null} for no limit; when
     *     it passes, the crawl stops as {@link WebCrawler#stop()} stops it
     * @param progress whether the progress line is drawn
     */
    public record Options(URI start, int maxDepth, int maxPages, int concurrency, int perHost, boolean sameHost,
                          Duration timeout, Duration totalTimeout, boolean progress) {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a number is out of range or the URL is not http(s)
         */
        public Options {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(timeout, "timeout");
            if (normalize(start) == null) {
                throw new IllegalArgumentException("not an http or https URL: " + start);
            }
            if (maxDepth < 0 || maxPages < 1 || concurrency < 1 || perHost < 0 || !positive(timeout)
                    || (totalTimeout != null && !positive(totalTimeout))) {
                throw new IllegalArgumentException("depth >= 0, max pages >= 1, concurrency >= 1, per host >= 0,"
                        + " timeouts > 0");
            }
        }

        private static boolean positive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }

        /**
         * {@return the defaults for a start URL: depth 2, 100 pages, 8 workers and no other limit per
         * host, the same host, 10 s a page and no limit for the whole crawl, with the progress line}
         * @param start the first URL
         */
        public static Options of(String start) {
            return new Options(URI.create(start), 2, 100, 8, 0, true, Duration.ofSeconds(10), null, true);
        }

        /**
         * {@return a copy with another start URL}
         * @param value the first URL
         */
        public Options withStart(URI value) {
            return new Options(value, maxDepth, maxPages, concurrency, perHost, sameHost, timeout,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy with another depth}
         * @param value the deepest link depth followed
         */
        public Options withMaxDepth(int value) {
            return new Options(start, value, maxPages, concurrency, perHost, sameHost, timeout,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy with another page budget}
         * @param value the most pages fetched
         */
        public Options withMaxPages(int value) {
            return new Options(start, maxDepth, value, concurrency, perHost, sameHost, timeout,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy with another number of workers}
         * @param value the requests at once
         */
        public Options withConcurrency(int value) {
            return new Options(start, maxDepth, maxPages, value, perHost, sameHost, timeout, totalTimeout, progress);
        }

        /**
         * {@return a copy with another limit of requests at once per host}
         * @param value the most at once to one host, 0 for none below the concurrency
         */
        public Options withPerHost(int value) {
            return new Options(start, maxDepth, maxPages, concurrency, value, sameHost, timeout,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy that follows links to other hosts or not}
         * @param value whether only the start's host
         */
        public Options withSameHost(boolean value) {
            return new Options(start, maxDepth, maxPages, concurrency, perHost, value, timeout,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy with another time limit per page}
         * @param value the longest one page may take
         */
        public Options withTimeout(Duration value) {
            return new Options(start, maxDepth, maxPages, concurrency, perHost, sameHost, value,
                    totalTimeout, progress);
        }

        /**
         * {@return a copy with another time limit for the whole crawl}
         * @param value the longest the crawl may take, or {@code null} for none
         */
        public Options withTotalTimeout(Duration value) {
            return new Options(start, maxDepth, maxPages, concurrency, perHost, sameHost, timeout, value, progress);
        }

        /**
         * {@return a copy with or without the progress line}
         * @param value whether it is drawn
         */
        public Options withProgress(boolean value) {
            return new Options(start, maxDepth, maxPages, concurrency, perHost, sameHost, timeout,
                    totalTimeout, value);
        }
    }

    /**
     * One page fetched, or not.
     *
     * @param url the URL as queued (normalized)
     * @param depth its link depth
     * @param status the response's status, or 0 if no response came
     * @param bytes the body bytes read
     * @param time how long the fetch took
     * @param error the failure's type ({@code ClientTimeoutError}...), or {@code null}
     */
    public record Page(URI url, int depth, int status, long bytes, Duration time, String error) {
        /** {@return whether a response came (any status)} */
        public boolean answered() {
            return error == null;
        }
    }

    /**
     * What a crawl did.
     *
     * @param pages the pages fetched or failed, in the order they ended
     * @param elapsed the crawl's wall-clock time
     * @param stopped whether it was stopped ({@link WebCrawler#stop()}, Ctrl-C) before its end
     * @param timedOut whether its total timeout ({@link Options#totalTimeout()}) ended it
     * @param leftQueued the pages admitted but not fetched when it stopped or timed out (those in
     *     flight included: they are not pages fetched)
     */
    public record Summary(List<Page> pages, Duration elapsed, boolean stopped, boolean timedOut, int leftQueued) {
        /** {@return the body bytes read, over all pages} */
        public long bytes() {
            return pages.stream().mapToLong(Page::bytes).sum();
        }

        /** {@return the responses by status class ({@code "2xx"}...), in order} */
        public Map<String, Integer> statusClasses() {
            Map<String, Integer> m = new TreeMap<>();
            for (Page p : pages) {
                if (p.answered()) {
                    m.merge(p.status() / 100 + "xx", 1, Integer::sum);
                }
            }
            return m;
        }

        /** {@return the failures (no response) by type, in order} */
        public Map<String, Integer> errors() {
            Map<String, Integer> m = new TreeMap<>();
            for (Page p : pages) {
                if (!p.answered()) {
                    m.merge(p.error(), 1, Integer::sum);
                }
            }
            return m;
        }

        /** {@return the pages per second of elapsed time} */
        public double pagesPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s > 0 ? pages.size() / s : 0;
        }

        /**
         * {@return the slowest pages, the slowest first}
         * @param n how many at most
         */
        public List<Page> slowest(int n) {
            return pages.stream().sorted(Comparator.comparing(Page::time).reversed()).limit(n).toList();
        }

        /**
         * Prints the summary.
         *
         * @param out where
         */
        public void print(PrintStream out) {
            String how = stopped ? "Stopped after" : timedOut ? "Timed out after" : "Crawled";
            out.printf(Locale.ROOT, "%s %d pages (%s) in %.2f s: %.1f pages/s%n", how, pages.size(), size(bytes()),
                    elapsed.toNanos() / 1e9, pagesPerSecond());
            if (stopped || timedOut) {
                out.println("Not fetched: " + leftQueued + " queued");
            }
            out.println("Statuses: " + join(statusClasses()));
            out.println("Errors: " + join(errors()));
            out.println("Slowest:");
            for (Page p : slowest(5)) {
                out.printf(Locale.ROOT, "  %6.2f s  %s  %s%n", p.time().toNanos() / 1e9,
                        p.answered() ? String.valueOf(p.status()) : p.error(), p.url());
            }
        }

        private static String join(Map<String, Integer> m) {
            if (m.isEmpty()) {
                return "none";
            }
            StringBuilder b = new StringBuilder();
            m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
            return b.toString();
        }

        private static String size(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                    : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }

    /** A page to fetch; the queue orders by depth, then by the order found (breadth first). */
    private record Item(URI url, int depth, long seq) {
    }

    private final Options options;
    private final PrintStream progressOut;
    private final PriorityQueue<Item> queue = new PriorityQueue<>(0,
            Comparator.comparingInt(Item::depth).thenComparingLong(Item::seq));
    private final Set<URI> seen = new HashSet<>();
    private final List<Page> pages = new ArrayList<>();
    private final List<Task<Void>> workers = new ArrayList<>();
    /** A semaphore per host and port ({@link #siteOf}), for {@link Options#perHost()}. */
    private final Map<String, Semaphore> hosts = new HashMap<>();
    private long admitted;
    private int failed;
    private boolean stopped;
    private boolean timedOut;
    private boolean running;

    /**
     * Makes a crawler; {@link #crawl()} runs it.
     *
     * @param options what to crawl
     * @param progressOut where the progress line is drawn (standard error in {@link #main})
     */
    public WebCrawler(Options options, PrintStream progressOut) {
        this.options = Objects.requireNonNull(options);
        this.progressOut = Objects.requireNonNull(progressOut);
    }

    /**
     * Crawls: fetches the start page, then every admitted link, shallowest first, with the
     * options' number of workers, and returns when none is left, {@link #stop()} was called or the
     * total timeout passed. Suspends; checks for cancellation.
     *
     * @return what the crawl did
     * @throws IllegalStateException if this crawler ran already
     */
    public Summary crawl() {
        if (running || !pages.isEmpty()) {
            throw new IllegalStateException("a crawler crawls once");
        }
        running = true;
        EventLoop loop = Asyncio.getRunningLoop();
        long start = loop.time();
        ClientTimeout timeout = ClientTimeout.defaults().withTotal(options.timeout());
        // one session for every request: its pool keeps connections alive between pages
        try (ClientSession session = ClientSession.open(ClientOptions.defaults().withTimeout(timeout)
                .withLimit(options.concurrency()))) {
            admit(options.start(), 0);
            for (int i = 0; i < options.concurrency(); i++) {
                workers.add(createTask("crawler-" + i, () -> {
                    work(session);
                    return null;
                }));
            }
            Task<Void> ticker = options.progress() ? createTask("crawler-progress", () -> {
                progress(start);
                return null;
            }) : null;
            // the total timeout is a timeout scope around the wait alone: when it passes, join()
            // raises and the crawl ends as after stop(), below, with its summary
            Timeout limit = Asyncio.timeout(options.totalTimeout()); // null: no deadline
            try (limit) {
                queue.join(); // every admitted page done, or dropped by stop()
            } catch (TimeoutError e) {
                if (e.timeout() != limit) {
                    throw e; // an enclosing scope's deadline: the caller's
                }
                timedOut = true; // before the workers see their cancellation: in-flight pages are dropped
            } finally {
                queue.shutdown(true); // idle workers' get() fails: they end
                for (Task<Void> w : workers) {
                    w.cancel(); // after a stop (or a failure here), a fetch in flight ends now, not at its timeout
                }
                await(gatherSettled(workers));
                if (ticker != null) {
                    ticker.cancel();
                    await(gatherSettled(List.of(ticker)));
                    progressOut.print("\r" + " ".repeat(72) + "\r"); // the summary replaces the line
                    progressOut.flush();
                }
            }
        } finally {
            running = false;
        }
        Duration elapsed = Duration.ofNanos(loop.time() - start);
        return new Summary(List.copyOf(pages), elapsed, stopped, timedOut, (int) (admitted - pages.size()));
    }

    /**
     * Stops the crawl: no page is fetched any more, those in flight are cancelled, and {@link
     * #crawl()} returns its summary. Idempotent. Call it on the crawl's loop (a signal handler's
     * callback is). Never suspends.
     */
    public void stop() {
        if (!stopped && running) {
            stopped = true;
            queue.shutdown(true);
            for (Task<Void> w : workers) {
                w.cancel();
            }
        }
    }

    /** {@return whether {@link #stop()} was called during the crawl} */
    public boolean isStopped() {
        return stopped;
    }

    /** {@return whether the crawl is ending early: stopped, or its total timeout passed} */
    private boolean halted() {
        return stopped || timedOut;
    }

    /** A worker: takes the shallowest page, fetches it, queues its new links; until shut down. */
    private void work(ClientSession session) {
        while (true) {
            Item item;
            try {
                item = queue.get();
            } catch (QueueShutDown e) {
                return;
            }
            try {
                fetch(session, item);
            } finally {
                queue.taskDone();
            }
        }
    }

    private void fetch(ClientSession session, Item item) {
        int perHost = options.perHost() == 0 ? options.concurrency() : options.perHost();
        Semaphore host = hosts.computeIfAbsent(siteOf(item.url()), k -> new Semaphore(perHost));
        // the host's turn first, then the page's clock and time limit: waiting is not the page's time
        try (Held _ = host.acquire()) {
            fetchHeld(session, item);
        }
    }

    private void fetchHeld(ClientSession session, Item item) {
        EventLoop loop = Asyncio.getRunningLoop();
        long t0 = loop.time();
        int status = 0;
        long bytes = 0;
        String error = null;
        try (ClientResponse r = session.get(item.url().toString())) {
            status = r.status();
            byte[] body = readUpTo(r, MAX_BODY);
            bytes = body.length;
            boolean isHtml = r.contentType().map(t -> t.essence().equals("text/html")).orElse(false);
            if (isHtml && item.depth() < options.maxDepth() && !halted()) {
                URI landed = normalize(r.url()); // after redirects: not to be fetched again
                if (landed != null) {
                    seen.add(landed);
                }
                Charset cs = r.contentType().flatMap(t -> t.charset()).orElse(StandardCharsets.UTF_8);
                String html = new String(body, cs);
                URI base = base(r.url(), Links.base(html));
                for (String href : Links.extract(html)) {
                    URI link = resolve(base, href);
                    if (link != null) {
                        admit(link, item.depth() + 1);
                    }
                }
            }
        } catch (CancelledError e) {
            if (halted()) {
                error = "stopped"; // Ctrl-C or the total timeout in the middle of this page
            } else {
                throw e;
            }
        } catch (ClientTimeoutError e) {
            error = "ClientTimeoutError";
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName();
        }
        if (error != null && error.equals("stopped")) {
            return; // not a page: it was interrupted
        }
        if (error != null) {
            failed++;
        }
        pages.add(new Page(item.url(), item.depth(), status, bytes, Duration.ofNanos(loop.time() - t0), error));
    }

    /** {@return the URL a page's links are relative to: its {@code <base href>}, if any, else its own} */
    private static URI base(URI page, String declared) {
        URI d = declared == null ? null : parse(declared);
        return d == null ? page : page.resolve(d);
    }

    /** {@return a link resolved against its page's base and normalized, or {@code null}} */
    private static URI resolve(URI base, String href) {
        URI u = parse(href);
        try {
            return u == null ? null : normalize(base.resolve(u));
        } catch (IllegalArgumentException e) {
            return null; // resolution failed (an opaque base)
        }
    }

    private static URI parse(String href) {
        try {
            return new URI(href.strip().replace(" ", "%20"));
        } catch (URISyntaxException e) {
            return null; // not a URL this crawler can follow
        }
    }

    /** Queues a page if it is new, within depth, on an allowed host and within the page budget. */
    private void admit(URI url, int depth) {
        URI u = normalize(url);
        if (u == null || depth > options.maxDepth() || admitted >= options.maxPages()) {
            return;
        }
        if (options.sameHost() && !sameSite(u, normalize(options.start()))) {
            return;
        }
        if (!seen.add(u)) {
            return;
        }
        admitted++;
        queue.putNowait(new Item(u, depth, admitted));
    }

    private static boolean sameSite(URI a, URI b) {
        return a.getHost().equals(b.getHost()) && port(a) == port(b);
    }

    /** {@return a normalized URL's host and port, the key of its per-host semaphore} */
    private static String siteOf(URI u) {
        return u.getHost() + ":" + port(u);
    }

    /**
     * {@return a URL in the form compared for de-duplication, or {@code null} if it is not an
     * absolute http(s) URL}
     * @param url the URL
     */
    static URI normalize(URI url) {
        String scheme = url.getScheme();
        if (scheme == null || url.getHost() == null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        int port = url.getPort();
        if (port == (scheme.equals("http") ? 80 : 443)) {
            port = -1;
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        try {
            URI u = new URI(scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port)
                    + path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
            return u.normalize();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    }

    private static byte[] readUpTo(ClientResponse r, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] piece;
        while (out.size() < max && (piece = r.readAny()).length > 0) {
            out.write(piece, 0, Math.min(piece.length, max - out.size()));
        }
        return out.toByteArray(); // the response's close() discards what was not read
    }

    /** Redraws the progress line every {@link #PROGRESS_EVERY} while something changed. */
    private void progress(long start) {
        EventLoop loop = Asyncio.getRunningLoop();
        String last = "";
        while (true) {
            sleep(PROGRESS_EVERY);
            double s = (loop.time() - start) / 1e9;
            String line = String.format(Locale.ROOT, "done %d  queued %d  failed %d  %.1f pages/s", pages.size(),
                    admitted - pages.size(), failed, s > 0 ? pages.size() / s : 0);
            if (!line.equals(last)) {
                progressOut.print("\r" + line + "   ");
                progressOut.flush();
                last = line;
            }
        }
    }

    /** The command line's syntax, for the usage line. */
    static final String USAGE = "crawl [URL | --demo] [--depth N] [--max-pages N] [--concurrency N] [--per-host N]"
            + " [--timeout SECONDS] [--total-timeout SECONDS] [--all-hosts] [--quiet]";

    /** The start URL a demo's options hold until the site listens; {@link #demo} replaces it. */
    static final URI DEMO_START = URI.create("http://127.0.0.1/");

    /**
     * Crawls from a URL, or the demo site without one, and prints the summary; Ctrl-C stops the
     * crawl and prints it too.
     *
     * @param args {@code [URL | --demo] [--depth N] [--max-pages N] [--concurrency N] [--per-host N]
     *     [--timeout SECONDS] [--total-timeout SECONDS] [--all-hosts] [--quiet]}
     */
    public static void main(String[] args) {
        Command c;
        try {
            c = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("crawl: " + e.getMessage());
            System.err.println("usage: " + USAGE);
            System.exit(2);
            return;
        }
        Command command = c;
        Summary summary = run(() -> command.demo()
                ? demo(new DemoSite(DemoSite.PAGES, DemoSite.SEED), command.options(), System.out,
                        WebCrawler::crawlUntilInterrupted)
                : crawlUntilInterrupted(command.options()));
        summary.print(System.out);
        if (summary.stopped()) {
            System.exit(130); // as a program ended by Ctrl-C does (a total timeout is a normal end)
        }
    }

    /** Crawls with Ctrl-C stopping the crawl, and a second one the program. Suspends. */
    private static Summary crawlUntilInterrupted(Options options) {
        WebCrawler crawler = new WebCrawler(options, System.err);
        EventLoop loop = Asyncio.getRunningLoop();
        loop.addSignalHandler("INT", () -> {
            if (crawler.isStopped()) {
                System.exit(130); // a second Ctrl-C: stop waiting for the fetches to end
            }
            crawler.stop();
        });
        try {
            return crawler.crawl();
        } finally {
            loop.removeSignalHandler("INT");
        }
    }

    /**
     * Crawls the demo site: starts it on a free loopback port of the running loop, says what it
     * is on {@code out}, crawls it with the options (their start replaced by the site's URL), and
     * stops it, whatever the crawl did. Suspends; checks for cancellation.
     *
     * @param site the site, not started
     * @param options how to crawl it
     * @param out where the site's description goes
     * @param crawl the crawl, given the options with the site's URL: {@link #crawl()} on a crawler
     * @return what the crawl did
     * @throws Exception if the site cannot start
     */
    static Summary demo(DemoSite site, Options options, PrintStream out, Function<Options, Summary> crawl)
            throws Exception {
        try (site) {
            site.start();
            out.println("Demo site: " + site + ", at " + site.url());
            out.flush();
            return crawl.apply(options.withStart(URI.create(site.url())));
        }
    }

    /**
     * A command line read.
     *
     * @param options the options; for the demo, their start is {@link #DEMO_START} until the site
     *     listens
     * @param demo whether to crawl the demo site (no URL was given, or {@code --demo})
     */
    record Command(Options options, boolean demo) {
    }

    /**
     * Reads the command line: a URL, or none (or {@code --demo}) for the demo site, whose defaults
     * are depth 10, 1,000 pages and 2 s a page; then the options, in any order.
     *
     * @param args the arguments
     * @return the command
     * @throws IllegalArgumentException if they are not valid
     */
    static Command parse(String[] args) {
        String url = null;
        boolean demo = false;
        // the changes are applied once the defaults are known: those of a URL, or the demo's
        List<UnaryOperator<Options>> changes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--demo" -> demo = true;
                case "--all-hosts" -> changes.add(o -> o.withSameHost(false));
                case "--quiet" -> changes.add(o -> o.withProgress(false));
                case "--depth", "--max-pages", "--concurrency", "--per-host", "--timeout", "--total-timeout" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    changes.add(option(a, args[++i]));
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    if (url != null) {
                        throw new IllegalArgumentException("one start URL only: " + url + ", " + a);
                    }
                    url = a;
                }
            }
        }
        if (demo && url != null) {
            throw new IllegalArgumentException("a start URL or --demo, not both");
        }
        Options o = url != null ? Options.of(url) : Options.of(DEMO_START.toString()).withMaxDepth(10)
                .withMaxPages(1000).withTimeout(Duration.ofSeconds(2));
        for (UnaryOperator<Options> change : changes) {
            o = change.apply(o); // the Options constructor checks the ranges
        }
        return new Command(o, url == null);
    }

    /** {@return the change an option with a value makes} The number is read now, to fail early. */
    private static UnaryOperator<Options> option(String name, String value) {
        try {
            return switch (name) {
                case "--depth" -> {
                    int n = Integer.parseInt(value);
                    yield o -> o.withMaxDepth(n);
                }
                case "--max-pages" -> {
                    int n = Integer.parseInt(value);
                    yield o -> o.withMaxPages(n);
                }
                case "--concurrency" -> {
                    int n = Integer.parseInt(value);
                    yield o -> o.withConcurrency(n);
                }
                case "--per-host" -> {
                    int n = Integer.parseInt(value);
                    yield o -> o.withPerHost(n);
                }
                case "--timeout" -> {
                    Duration d = seconds(value);
                    yield o -> o.withTimeout(d);
                }
                default -> {
                    Duration d = seconds(value);
                    yield o -> o.withTotalTimeout(d);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + value);
        }
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
    }

    /**
     * The link scanner: the {@code href} values of {@code <a>} and {@code <area>} tags, and a page's
     * {@code <base href>}. A scanner over the markup rather than a regular expression, so that
     * comments, scripts and styles are skipped and quoting is read as a browser reads it (double,
     * single, or none).
     */
    static final class Links {
        private Links() {
        }

        /**
         * {@return the hrefs of the page's links, in order, character references decoded}
         * @param html the page
         */
        static List<String> extract(String html) {
            List<String> out = new ArrayList<>();
            scan(html, (tag, href) -> {
                if (tag.equals("a") || tag.equals("area")) {
                    out.add(href);
                }
            });
            return out;
        }

        /**
         * {@return the page's {@code <base href>}, or {@code null}}
         * @param html the page
         */
        static String base(String html) {
            String[] base = new String[1];
            scan(html, (tag, href) -> {
                if (tag.equals("base") && base[0] == null) {
                    base[0] = href;
                }
            });
            return base[0];
        }

        private interface Sink {
            void tag(String name, String href);
        }

        private static void scan(String h, Sink sink) {
            int n = h.length();
            int i = 0;
            while (i < n) {
                int lt = h.indexOf('<', i);
                if (lt < 0 || lt + 1 >= n) {
                    return;
                }
                if (h.startsWith("<!--", lt)) {
                    int end = h.indexOf("-->", lt + 4);
                    i = end < 0 ? n : end + 3;
                    continue;
                }
                int p = lt + 1;
                if (!Character.isLetter(h.charAt(p))) {
                    i = p; // an end tag, a doctype, a stray '<'
                    continue;
                }
                int nameEnd = p;
                while (nameEnd < n && (Character.isLetterOrDigit(h.charAt(nameEnd)) || h.charAt(nameEnd) == '-')) {
                    nameEnd++;
                }
                String name = h.substring(p, nameEnd).toLowerCase(Locale.ROOT);
                p = nameEnd;
                String href = null;
                while (p < n && h.charAt(p) != '>') { // the attributes
                    char c = h.charAt(p);
                    if (Character.isWhitespace(c) || c == '/') {
                        p++;
                        continue;
                    }
                    int an = p;
                    while (p < n && !Character.isWhitespace(h.charAt(p)) && "=>/".indexOf(h.charAt(p)) < 0) {
                        p++;
                    }
                    String attr = h.substring(an, p).toLowerCase(Locale.ROOT);
                    while (p < n && Character.isWhitespace(h.charAt(p))) {
                        p++;
                    }
                    String value = null;
                    if (p < n && h.charAt(p) == '=') {
                        p++;
                        while (p < n && Character.isWhitespace(h.charAt(p))) {
                            p++;
                        }
                        if (p < n && (h.charAt(p) == '"' || h.charAt(p) == '\'')) {
                            char q = h.charAt(p);
                            int end = h.indexOf(q, p + 1);
                            end = end < 0 ? n : end;
                            value = h.substring(p + 1, end);
                            p = Math.min(n, end + 1);
                        } else {
                            int vs = p;
                            while (p < n && !Character.isWhitespace(h.charAt(p)) && h.charAt(p) != '>') {
                                p++;
                            }
                            value = h.substring(vs, p);
                        }
                    }
                    if (attr.equals("href") && href == null && value != null) {
                        href = decode(value);
                    }
                }
                i = p + 1;
                if (href != null) {
                    sink.tag(name, href);
                }
                if (name.equals("script") || name.equals("style")) {
                    int end = h.toLowerCase(Locale.ROOT).indexOf("</" + name, i); // raw text: no tags inside
                    i = end < 0 ? n : end;
                }
            }
        }

        /** Decodes the character references a URL in an attribute may hold: a few named ones, and numeric. */
        static String decode(String s) {
            if (s.indexOf('&') < 0) {
                return s;
            }
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                int semi = c == '&' ? s.indexOf(';', i) : -1;
                if (semi < 0 || semi - i > 10) {
                    b.append(c);
                    continue;
                }
                String ref = s.substring(i + 1, semi);
                String rep = switch (ref) {
                    case "amp" -> "&";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    default -> numeric(ref);
                };
                if (rep == null) {
                    b.append(c);
                } else {
                    b.append(rep);
                    i = semi;
                }
            }
            return b.toString();
        }

        private static String numeric(String ref) {
            try {
                if (ref.startsWith("#x") || ref.startsWith("#X")) {
                    return Character.toString(Integer.parseInt(ref.substring(2), 16));
                }
                if (ref.startsWith("#")) {
                    return Character.toString(Integer.parseInt(ref.substring(1)));
                }
            } catch (IllegalArgumentException e) {
                // not a character: left as it is
            }
            return null;
        }
    }
}
