package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.sleep;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.testing.TestClient;
import io.asyncio4j.http.testing.TestClients;
import io.asyncio4j.sync.Event;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The crawler end to end, against a generated site on our own server with a known link graph:
 * cycles, relative and absolute links, a {@code <base href>}, links that must not be followed
 * (in comments, scripts, to other hosts, other schemes, too deep), a 404, a redirect, a slow page
 * and one that never answers in time; then the demo, the program's own generated site of 300 pages.
 */
class WebCrawlerTest {

    /** The site: what each page links to, as written in its markup. */
    private static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("/", """
                    <!doctype html><html><head><link href="/style.css" rel=stylesheet></head><body>
                    <a href="/a">a</a> <a href='b'>b</a> <a href=/missing>gone</a> <A HREF="/slow">slow</A>
                    <a class="x" href = "/hang">hang</a> <a href="/a?x=1&amp;y=2">query</a> <a href="#top">top</a>
                    <a href="mailto:me@example.org">mail</a> <a href="http://other.invalid/x">away</a>
                    <a href="javascript:void(0)">js</a> <a href="/data.json">data</a> <a href="/old">moved</a>
                    <map><area href="/area" alt=""></map>
                    <!-- <a href="/commented">not a link</a> -->
                    <script>var s = "<a href='/scripted'>";</script>
                    </body></html>"""),
            Map.entry("/a", """
                    <a href="/">home</a> <a href="a/1">one</a> <a href="./a/2">two</a>
                    <a href="http://HOST/b#frag">b again</a>"""),
            Map.entry("/b", """
                    <base href="/based/"><a href="../b/1">b1</a> <a href="one">based</a> <a href="../a">a</a>"""),
            Map.entry("/a/1", "<a href=\"/a/1/deep\">too deep at depth 2</a>"),
            Map.entry("/a/2", "leaf"),
            Map.entry("/b/1", "<a href=\"/b/1/deep\">too deep</a>"),
            Map.entry("/based/one", "leaf"),
            Map.entry("/slow", "<a href=\"/slow/child\">child</a>"),
            Map.entry("/slow/child", "leaf"),
            Map.entry("/area", "leaf"),
            Map.entry("/hang", "never seen"));

    /** What a crawl of depth 2 from / must fetch: every reachable page within the depth, once. */
    private static final Set<String> WITHIN_DEPTH_2 = new TreeSet<>(List.of(
            "/", "/a", "/b", "/missing", "/slow", "/hang", "/a?x=1&y=2", "/data.json", "/area", "/old",
            "/a/1", "/a/2", "/b/1", "/based/one", "/slow/child"));

    /** The test's server: the site, and what it saw. */
    private static final class Site {
        final Map<String, Integer> requests = new HashMap<>();
        final Event hangStarted = new Event();
        int inFlight;
        int maxInFlight;
        Duration hang = Duration.ofSeconds(5);

        Application app() {
            Application app = new Application();
            app.router().get("/{path:.*}", r -> {
                String path = r.path() + (r.queryString().isEmpty() ? "" : "?" + r.queryString());
                requests.merge(path, 1, Integer::sum);
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                try {
                    sleep(Duration.ofMillis(30)); // every page takes a while: requests overlap
                    switch (r.path()) {
                        case "/slow" -> sleep(Duration.ofMillis(400));
                        case "/hang" -> {
                            hangStarted.set();
                            sleep(hang);
                        }
                        case "/old" -> throw HttpException.found("/a");
                        case "/data.json" -> {
                            return Response.json(Map.of("not", "html"));
                        }
                        default -> {
                        }
                    }
                    String html = PAGES.get(r.path());
                    if (html == null) {
                        throw HttpException.notFound();
                    }
                    return Response.html(html.replace("HOST", r.host()));
                } finally {
                    inFlight--;
                }
            });
            return app;
        }
    }

    private static String start(TestClient c) {
        return "http://127.0.0.1:" + c.port() + "/";
    }

    private static Set<String> paths(WebCrawler.Summary s) {
        return s.pages().stream().map(p -> p.url().getRawPath() + (p.url().getRawQuery() == null ? ""
                : "?" + p.url().getRawQuery())).collect(Collectors.toCollection(TreeSet::new));
    }

    @HttpTest
    void theCrawlFetchesExactlyTheReachablePagesWithinTheDepthOnceEach(TestClients clients) throws Exception {
        Site site = new Site();
        TestClient c = clients.start(site.app());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        WebCrawler crawler = new WebCrawler(WebCrawler.Options.of(start(c)).withConcurrency(3)
                .withTimeout(Duration.ofSeconds(1)), new PrintStream(progress, true, UTF_8));
        WebCrawler.Summary s = crawler.crawl();

        assertEquals(WITHIN_DEPTH_2, paths(s));
        assertEquals(WITHIN_DEPTH_2.size(), s.pages().size(), "each page once");
        for (String p : WITHIN_DEPTH_2) {
            int expected = p.equals("/a") ? 2 : 1; // /old redirects to /a, which the crawl fetched too
            assertEquals(expected, site.requests.getOrDefault(p, 0), p);
        }
        assertEquals(WITHIN_DEPTH_2, site.requests.keySet().stream().collect(Collectors.toCollection(TreeSet::new)),
                "nothing else was asked for: not /a/1/deep, /commented, /scripted, /style.css");
        assertEquals(Map.of("2xx", 13, "4xx", 1), s.statusClasses());
        assertEquals(Map.of("ClientTimeoutError", 1), s.errors());
        assertEquals(0, s.pages().stream().filter(p -> p.url().getPath().equals("/hang")).findFirst().orElseThrow()
                .status());
        assertFalse(s.stopped());
        assertEquals(0, s.leftQueued());
        Map<String, Integer> depths = new HashMap<>();
        s.pages().forEach(p -> depths.put(p.url().getRawPath(), p.depth()));
        assertEquals(0, depths.get("/"));
        assertEquals(1, depths.get("/old"));
        assertEquals(2, depths.get("/based/one"), "the <base href> of /b");
        assertEquals("/hang", s.slowest(1).get(0).url().getPath(), "the timeout is the slowest page");
        assertTrue(s.bytes() > 0);

        // at most 3 requests at once at the server (the workers), and the limit was reached
        assertTrue(site.maxInFlight <= 3, "at most 3 at once: " + site.maxInFlight);
        assertTrue(site.maxInFlight >= 2, "requests overlapped: " + site.maxInFlight);

        // the progress line: redrawn in place, at most every 200 ms, and cleared at the end
        String drawn = progress.toString(UTF_8);
        long redraws = drawn.chars().filter(ch -> ch == '\r').count() - 2; // the clearing writes two
        double seconds = s.elapsed().toNanos() / 1e9;
        assertTrue(redraws >= 1 && redraws <= seconds / 0.2 + 1, redraws + " redraws in " + seconds + " s: " + drawn);
        assertTrue(drawn.startsWith("\r") && java.util.regex.Pattern.compile(
                "done \\d+  queued \\d+  failed \\d+  \\d+\\.\\d pages/s").matcher(drawn).find(), drawn);
        assertTrue(drawn.endsWith("\r"), "the line is cleared for the summary");
    }

    @HttpTest
    void theSummaryGivesPagesBytesStatusesErrorsRateAndTheSlowest(TestClients clients) throws Exception {
        Site site = new Site();
        TestClient c = clients.start(site.app());
        WebCrawler.Summary s = new WebCrawler(WebCrawler.Options.of(start(c)).withTimeout(Duration.ofSeconds(1))
                .withProgress(false), System.err).crawl();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.print(new PrintStream(out, true, UTF_8));
        List<String> lines = out.toString(UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("Crawled 15 pages \\(\\d+(\\.\\d)? (B|KiB)\\) in \\d+\\.\\d\\d s: \\d+\\.\\d pages/s"),
                lines.get(0));
        assertEquals("Statuses: 2xx 13, 4xx 1", lines.get(1));
        assertEquals("Errors: ClientTimeoutError 1", lines.get(2));
        assertEquals("Slowest:", lines.get(3));
        assertTrue(lines.get(4).matches("\\s+1\\.\\d\\d s  ClientTimeoutError  http://127\\.0\\.0\\.1:\\d+/hang"),
                lines.get(4));
        assertTrue(lines.get(5).endsWith("/slow"), lines.get(5));
        assertEquals(9, lines.size(), "five slowest pages: " + lines);
    }

    @HttpTest
    void theDepthTheHostRuleAndThePageBudgetBoundTheCrawl(TestClients clients) throws Exception {
        Site site = new Site();
        TestClient c = clients.start(site.app());
        WebCrawler.Options o = WebCrawler.Options.of(start(c)).withTimeout(Duration.ofSeconds(1)).withProgress(false);

        WebCrawler.Summary onlyStart = new WebCrawler(o.withMaxDepth(0), System.err).crawl();
        assertEquals(Set.of("/"), paths(onlyStart));

        // breadth first: the budget goes to the start page and the first links found on it
        WebCrawler.Summary four = new WebCrawler(o.withMaxPages(4), System.err).crawl();
        assertEquals(Set.of("/", "/a", "/b", "/missing"), paths(four));

        // with every host allowed, other.invalid is queued too (and fails to resolve)
        WebCrawler.Summary all = new WebCrawler(o.withMaxDepth(1).withSameHost(false), System.err).crawl();
        assertTrue(all.pages().stream().anyMatch(p -> p.url().getHost().equals("other.invalid") && !p.answered()),
                all.pages().toString());
    }

    @HttpTest
    void stopEndsTheCrawlAtOnceWithItsSummary(TestClients clients) throws Exception {
        Site site = new Site();
        site.hang = Duration.ofSeconds(30);
        TestClient c = clients.start(site.app());
        WebCrawler crawler = new WebCrawler(WebCrawler.Options.of(start(c)).withConcurrency(2)
                .withTimeout(Duration.ofSeconds(20)).withProgress(false), System.err);
        createTask(() -> {
            site.hangStarted.waitUntilSet();
            crawler.stop(); // what Ctrl-C does in main
            return null;
        });
        long t0 = System.nanoTime();
        WebCrawler.Summary s = crawler.crawl();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "not waiting for the 20 s timeout");
        assertTrue(s.stopped());
        assertTrue(crawler.isStopped());
        assertFalse(paths(s).contains("/hang"), "the page in flight is not a page fetched");
        assertTrue(s.leftQueued() > 0, "pages were left: " + s.leftQueued());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.print(new PrintStream(out, true, UTF_8));
        assertTrue(out.toString(UTF_8).startsWith("Stopped after " + s.pages().size() + " pages"), out.toString(UTF_8));
        assertTrue(out.toString(UTF_8).contains("Not fetched: " + s.leftQueued() + " queued"), out.toString(UTF_8));
    }

    /** The program as a user runs it: a child JVM, stopped by SIGINT, prints the summary and exits 130. */
    @HttpTest
    void ctrlCStopsTheProgramWhichPrintsItsSummary(TestClients clients) throws Exception {
        Site site = new Site();
        site.hang = Duration.ofSeconds(30);
        TestClient c = clients.start(site.app());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                WebCrawler.class.getName(), start(c), "--timeout", "20", "--concurrency", "2"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            site.hangStarted.waitUntilSet(); // the crawl is under way, one fetch hanging
            sleep(Duration.ofMillis(200));
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start();
            int exit = Asyncio.toThread(() -> {
                kill.waitFor();
                return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
            });
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertEquals(130, exit, out);
            assertTrue(out.startsWith("Stopped after "), out);
            assertTrue(out.contains("\nStatuses: ") && out.contains("\nSlowest:"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** The demo on its site, as {@code ./asyncio4j example crawl ARGS} runs it, without the progress line. */
    private static WebCrawler.Summary demo(DemoSite site, PrintStream out, String... args) throws Exception {
        WebCrawler.Command c = WebCrawler.parse(args);
        assertTrue(c.demo());
        return WebCrawler.demo(site, c.options().withProgress(false), out, o -> new WebCrawler(o, System.err).crawl());
    }

    private static PrintStream quiet() {
        return new PrintStream(java.io.OutputStream.nullOutputStream(), true, UTF_8);
    }

    private static Map<DemoSite.Kind, Integer> kinds(DemoSite site, Set<String> paths) {
        Map<DemoSite.Kind, Integer> m = new java.util.EnumMap<>(DemoSite.Kind.class);
        paths.forEach(p -> m.merge(site.kind(p), 1, Integer::sum));
        return m;
    }

    @HttpTest
    void theDemoCrawlsAllOfTheGeneratedSiteAndCountsTheFailuresByType() throws Exception {
        DemoSite site = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, UTF_8);
        long t0 = System.nanoTime();
        WebCrawler.Summary s = demo(site, out); // no URL: the demo, with its defaults
        s.print(out);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8), "a few seconds: " + s.elapsed());

        // every page of the site, once, at its level, and nothing else (not the drafts in comments)
        Map<String, Integer> expected = site.depths(10);
        assertEquals(DemoSite.PAGES, expected.size(), "the whole site is reachable");
        assertEquals(new TreeSet<>(expected.keySet()), paths(s));
        assertEquals(DemoSite.PAGES, s.pages().size(), "each page once");
        s.pages().forEach(p -> assertEquals(expected.get(p.url().getPath()), p.depth(), p.url().toString()));
        assertEquals(expected.keySet(), site.requests().keySet());
        assertTrue(site.requests().values().stream().allMatch(n -> n == 1), "each asked for once");
        assertFalse(s.timedOut());
        assertFalse(s.stopped());
        assertEquals(0, s.leftQueued());

        // the failures by type: statuses by class for those that answered, the timeout for the one that does not
        Map<DemoSite.Kind, Integer> kinds = kinds(site, expected.keySet());
        assertEquals(Map.of(DemoSite.Kind.PAGE, 281, DemoSite.Kind.SLOW, 10, DemoSite.Kind.NOT_FOUND, 5,
                DemoSite.Kind.SERVER_ERROR, 3, DemoSite.Kind.HANG, 1), kinds);
        assertEquals(Map.of("2xx", 291, "4xx", 5, "5xx", 3), s.statusClasses());
        assertEquals(Map.of("ClientTimeoutError", 1), s.errors());
        for (WebCrawler.Page p : s.pages()) {
            int status = switch (site.kind(p.url().getPath())) {
                case PAGE, SLOW -> 200;
                case NOT_FOUND -> 404;
                case SERVER_ERROR -> 500;
                case HANG -> 0;
            };
            assertEquals(status, p.status(), p.url().toString());
        }
        WebCrawler.Page hang = s.slowest(1).get(0);
        assertEquals(DemoSite.Kind.HANG, site.kind(hang.url().getPath()), "the page that never answers is the slowest");
        assertTrue(hang.time().compareTo(Duration.ofSeconds(2)) >= 0, "it took the page's time limit: " + hang.time());

        // the output: what the site is, then the summary
        List<String> lines = bytes.toString(UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("Demo site: 300 pages in 5 levels, 10 slow \\(200-800 ms\\),"
                + " 5 missing \\(404\\), 3 broken \\(500\\), 1 never answering, at http://127\\.0\\.0\\.1:\\d+/"),
                lines.get(0));
        assertTrue(lines.get(1).matches(
                "Crawled 300 pages \\(\\d+\\.\\d KiB\\) in \\d+\\.\\d\\d s: \\d+\\.\\d pages/s"),
                lines.get(1));
        assertEquals("Statuses: 2xx 291, 4xx 5, 5xx 3", lines.get(2));
        assertEquals("Errors: ClientTimeoutError 1", lines.get(3));
        assertEquals("Slowest:", lines.get(4));
        assertTrue(lines.get(5).matches("\\s+2\\.\\d\\d s  ClientTimeoutError  http://127\\.0\\.0\\.1:\\d+/page/\\d+"),
                lines.get(5));
        assertEquals(10, lines.size(), lines.toString());

        // the site stopped with the crawl
        String url = lines.get(0).substring(lines.get(0).lastIndexOf("http://"));
        try (io.asyncio4j.http.client.ClientSession session = io.asyncio4j.http.client.ClientSession.open()) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> session.get(url).close());
        }
    }

    @HttpTest
    void theDepthThePageBudgetAndThePerHostLimitBoundTheDemoCrawl() throws Exception {
        DemoSite shallow = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        WebCrawler.Summary two = demo(shallow, quiet(), "--depth", "2");
        assertEquals(new TreeSet<>(shallow.depths(2).keySet()), paths(two), "levels 0 to 2 exactly");
        assertEquals(1 + 4 + 16, two.pages().size());
        assertEquals(shallow.depths(2).keySet(), shallow.requests().keySet(), "level 3 not asked for");

        // breadth first within a budget: the home page and the sections always, then any 35 of the rest
        DemoSite budget = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        WebCrawler.Summary forty = demo(budget, quiet(), "--max-pages", "40",
                "--concurrency", "8", "--per-host", "3");
        Map<String, Integer> all = budget.depths(10);
        assertEquals(40, forty.pages().size());
        assertEquals(0, forty.leftQueued(), "the budget counts pages admitted: all fetched");
        assertTrue(all.keySet().containsAll(paths(forty)), paths(forty).toString());
        forty.pages().forEach(p -> assertEquals(all.get(p.url().getPath()), p.depth(), p.url().toString()));
        assertTrue(paths(forty).containsAll(budget.depths(1).keySet()), paths(forty).toString());
        assertTrue(budget.maxInFlight() <= 3, "at most 3 at once to the host: " + budget.maxInFlight());
        assertTrue(budget.maxInFlight() >= 2, "requests overlapped: " + budget.maxInFlight());
    }

    @HttpTest
    void theTotalTimeoutEndsTheCrawlWithItsSummary() throws Exception {
        DemoSite site = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, UTF_8);
        // the page that never answers would hold the crawl for its 20 s; the whole crawl has 0.5 s
        WebCrawler.Summary s = demo(site, out, "--timeout", "20", "--total-timeout", "0.5");
        s.print(out);
        assertTrue(s.timedOut());
        assertFalse(s.stopped(), "not stopped by stop() or Ctrl-C");
        assertTrue(s.elapsed().compareTo(Duration.ofMillis(500)) >= 0
                && s.elapsed().compareTo(Duration.ofSeconds(3)) < 0, s.elapsed().toString());
        assertTrue(s.leftQueued() >= 1, "the page that never answers, or its parent, was left: " + s.leftQueued());
        assertTrue(s.pages().stream().noneMatch(p -> site.kind(p.url().getPath()) == DemoSite.Kind.HANG),
                "a page cut off is not a page fetched");
        assertTrue(s.pages().stream().allMatch(WebCrawler.Page::answered), "no page failed: " + s.errors());
        String text = bytes.toString(UTF_8);
        assertTrue(text.contains("\nTimed out after " + s.pages().size() + " pages"), text);
        assertTrue(text.contains("\nNot fetched: " + s.leftQueued() + " queued\n"), text);
        assertTrue(text.contains("\nSlowest:\n"), text);
    }

    @Test
    void theDemoSiteIsTheSameForTheSameSeedAndItsLinksGoOneLevelDown() {
        DemoSite a = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        DemoSite b = new DemoSite(DemoSite.PAGES, DemoSite.SEED);
        DemoSite other = new DemoSite(DemoSite.PAGES, DemoSite.SEED + 1);
        assertEquals(a.paths(), b.paths());
        assertEquals(a.toString(), b.toString());
        boolean differs = false;
        Map<String, Integer> level = a.depths(10);
        for (String p : a.paths()) {
            assertEquals(a.kind(p), b.kind(p), p);
            assertEquals(a.links(p), b.links(p), p);
            differs |= !a.links(p).equals(other.links(p)) || a.kind(p) != other.kind(p);
            for (String l : a.links(p)) {
                // down one level, or up to the home page or a section: depths do not hang on timing
                assertTrue(level.get(l) == level.get(p) + 1 || level.get(l) <= 1, p + " -> " + l);
            }
        }
        assertTrue(differs, "another seed, another site");
        assertEquals(5, a.levels());
        assertEquals(List.of(), a.links(a.paths().stream().filter(p -> a.kind(p) == DemoSite.Kind.HANG).findFirst()
                .orElseThrow()), "a failing page has no links");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new DemoSite(49, 1));
    }

    @Test
    void linksAreFoundByTheScannerNotInCommentsOrScripts() {
        List<String> links = WebCrawler.Links.extract(PAGES.get("/"));
        assertEquals(List.of("/a", "b", "/missing", "/slow", "/hang", "/a?x=1&y=2", "#top", "mailto:me@example.org",
                "http://other.invalid/x", "javascript:void(0)", "/data.json", "/old", "/area"), links);
        assertEquals("/based/", WebCrawler.Links.base(PAGES.get("/b")));
        assertEquals("a&b<\"'é", WebCrawler.Links.decode("a&amp;b&lt;&quot;&apos;&#233;"));
        assertEquals("&unknown; & x", WebCrawler.Links.decode("&unknown; & x"));
    }

    @Test
    void urlsAreNormalizedBeforeTheyAreCompared() {
        assertEquals("http://example.org/", norm("HTTP://Example.ORG:80"));
        assertEquals("https://example.org/a/c?q=1", norm("https://example.org:443/a/b/../c?q=1#frag"));
        assertEquals("http://example.org:8080/x", norm("http://example.org:8080/./x"));
        assertEquals(null, WebCrawler.normalize(java.net.URI.create("mailto:me@example.org")));
        assertEquals(null, WebCrawler.normalize(java.net.URI.create("/relative")));
    }

    private static String norm(String url) {
        return WebCrawler.normalize(java.net.URI.create(url)).toString();
    }

    @Test
    void theCommandLineIsRead() {
        WebCrawler.Command c = WebCrawler.parse(new String[] {"--depth", "3", "http://127.0.0.1:1/", "--max-pages",
            "7", "--concurrency", "4", "--per-host", "2", "--timeout", "2.5", "--total-timeout", "30", "--all-hosts",
            "--quiet"});
        WebCrawler.Options o = c.options();
        assertFalse(c.demo());
        assertEquals("http://127.0.0.1:1/", o.start().toString(), "an option's value is not the URL");
        assertEquals(3, o.maxDepth());
        assertEquals(7, o.maxPages());
        assertEquals(4, o.concurrency());
        assertEquals(2, o.perHost());
        assertEquals(Duration.ofMillis(2500), o.timeout());
        assertEquals(Duration.ofSeconds(30), o.totalTimeout());
        assertFalse(o.sameHost());
        assertFalse(o.progress());
        WebCrawler.Options usual = WebCrawler.parse(new String[] {"http://127.0.0.1:1/"}).options();
        assertEquals(0, usual.perHost(), "only the concurrency bounds requests per host");
        assertEquals(null, usual.totalTimeout(), "no total timeout");

        // no URL, or --demo: the demo site, with defaults that crawl all of it in a few seconds
        for (String[] demo : List.of(new String[] {}, new String[] {"--demo"})) {
            WebCrawler.Command d = WebCrawler.parse(demo);
            assertTrue(d.demo());
            assertEquals(WebCrawler.DEMO_START, d.options().start());
            assertEquals(10, d.options().maxDepth());
            assertEquals(1000, d.options().maxPages());
            assertEquals(Duration.ofSeconds(2), d.options().timeout());
        }
        assertEquals(3, WebCrawler.parse(new String[] {"--depth", "3", "--quiet"}).options().maxDepth(),
                "the options change the demo's defaults");
        for (String[] bad : List.of(new String[] {"ftp://x/"}, new String[] {"http://x/", "--depth"},
                new String[] {"http://x/", "--nope"}, new String[] {"http://x/", "--concurrency", "0"},
                new String[] {"http://x/", "--per-host", "-1"}, new String[] {"http://x/", "--total-timeout", "0"},
                new String[] {"http://x/", "--timeout", "soon"}, new String[] {"http://x/", "--demo"},
                new String[] {"http://x/", "http://y/"})) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> WebCrawler.parse(bad),
                    String.join(" ", bad));
        }
        assertTrue(new File(System.getProperty("java.home"), "bin").isDirectory());
    }
}
