package io.asyncio4j.examples;

import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.Site;
import io.asyncio4j.sync.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated web site for the crawler to crawl: a few hundred linked HTML pages with a seeded
 * pseudo-random link graph, some slow, some failing, served by our own HTTP server on a free
 * loopback port of the running loop. {@code ./asyncio4j example crawl} without a URL crawls it.
 *
 * {@snippet :
 * try (DemoSite site = new DemoSite(DemoSite.PAGES, DemoSite.SEED)) {
 *     site.start();                                  // http://127.0.0.1:<free port>/
 *     Summary s = new WebCrawler(Options.of(site.url()), System.err).crawl();
 * }                                                  // the server stops
 * }
 *
 * <p>The pages are {@code /} and {@code /page/1} to {@code /page/N-1}, in levels: {@code /} is
 * level 0, and each level is four times the one before (1, 4, 16, 64, 215 for 300 pages). Every
 * page links to pages of the next level (each of them has at least one such parent, so the whole
 * site is reachable), and back to the home page and its section (its level-1 ancestor), with the
 * link written in varied forms (absolute, relative, with a fragment, repeated, one in a comment
 * that must not be followed). Among the pages of level 1 and deeper, 10 are slow (200-800 ms); of
 * level 2 and deeper, 5 answer 404 and 3 answer 500; and one of level 2 never answers (until the
 * site closes), so that a crawler's time limit per page fires. The others take 2-20 ms. Failing
 * pages have no links. The same size and seed give the same site, byte for byte.
 *
 * <p>Why links go one level down only (or up to levels 0 and 1, which a crawl knows from its first
 * page on): a crawler's depth for a page is that of the first link found to it, and with pages
 * answering in any order that is not always the shortest distance (a fast page two levels down
 * may link to a page before its slow parent does). Here the two agree whatever the order, so
 * {@link #depths(int)} says in advance which pages a crawl of a given depth fetches.
 *
 * <p>The site counts the requests it gets and the most it served at once, for tests. Loop thread
 * only: start, use and close it from tasks of one loop.
 */
public final class DemoSite implements AutoCloseable {
    /** The number of pages {@code ./asyncio4j example crawl} serves. */
    public static final int PAGES = 300;

    /** The seed {@code ./asyncio4j example crawl} generates its site with. */
    public static final long SEED = 2024;

    /** Each level has this many times the pages of the one above. */
    private static final int FANOUT = 4;
    private static final int SLOW = 10;
    private static final int NOT_FOUND = 5;
    private static final int SERVER_ERROR = 3;

    /** What a page does when asked for. */
    public enum Kind {
        /** Answers 200 with its HTML after 2-20 ms. */
        PAGE,
        /** Answers 200 with its HTML after 200-800 ms. */
        SLOW,
        /** Answers 404 (a page linked to but gone). */
        NOT_FOUND,
        /** Answers 500. */
        SERVER_ERROR,
        /** Never answers: the request waits until the site closes (or the client leaves). */
        HANG;

        /** {@return whether the page answers with HTML (and so has links)} */
        public boolean answersHtml() {
            return this == PAGE || this == SLOW;
        }
    }

    /** One page: its place in the graph, what it does, and its markup. */
    private record Node(String path, int level, Kind kind, Duration delay, List<String> links, String html) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final int levels;
    private final Map<String, Integer> requests = new HashMap<>();
    private final Event closing = new Event();
    private AppRunner runner;
    private Site site;
    private int inFlight;
    private int maxInFlight;

    /**
     * Generates a site; {@link #start()} serves it. Never suspends.
     *
     * @param pages the number of pages, at least 50
     * @param seed the seed of the link graph, the delays and which pages fail
     * @throws IllegalArgumentException if {@code pages} is below 50
     */
    public DemoSite(int pages, long seed) {
        if (pages < 50) {
            throw new IllegalArgumentException("at least 50 pages (slow and failing ones among them): " + pages);
        }
        Random rnd = new Random(seed); // java.util.Random's sequence is specified: the same site on every JDK
        List<List<Integer>> byLevel = new ArrayList<>();
        byLevel.add(List.of(0));
        for (int next = 1, size = FANOUT; next < pages; next += size, size *= FANOUT) {
            List<Integer> level = new ArrayList<>();
            for (int i = next; i < Math.min(pages, next + size); i++) {
                level.add(i);
            }
            byLevel.add(level);
        }
        levels = byLevel.size();
        int[] levelOf = new int[pages];
        for (int l = 0; l < levels; l++) {
            for (int p : byLevel.get(l)) {
                levelOf[p] = l;
            }
        }

        // what each page does: failures from level 2 on, so that level 1 always links on
        Kind[] kind = new Kind[pages];
        Arrays.fill(kind, Kind.PAGE);
        List<Integer> level2 = byLevel.get(2);
        kind[level2.get(rnd.nextInt(level2.size()))] = Kind.HANG; // shallow: every crawl of depth 2 meets it
        List<Integer> deep = new ArrayList<>();
        for (int p = byLevel.get(2).get(0); p < pages; p++) {
            if (kind[p] == Kind.PAGE) {
                deep.add(p);
            }
        }
        Collections.shuffle(deep, rnd);
        for (int i = 0; i < NOT_FOUND + SERVER_ERROR; i++) {
            kind[deep.get(i)] = i < NOT_FOUND ? Kind.NOT_FOUND : Kind.SERVER_ERROR;
        }
        List<Integer> rest = new ArrayList<>();
        for (int p = 1; p < pages; p++) {
            if (kind[p] == Kind.PAGE) {
                rest.add(p);
            }
        }
        Collections.shuffle(rest, rnd);
        for (int i = 0; i < SLOW; i++) {
            kind[rest.get(i)] = Kind.SLOW;
        }
        Duration[] delay = new Duration[pages];
        for (int p = 0; p < pages; p++) {
            delay[p] = Duration.ofMillis(kind[p] == Kind.SLOW ? 200 + rnd.nextInt(601) : 2 + rnd.nextInt(19));
        }

        // the links: one level down (every page of a level gets a parent that links), home, section
        List<Set<Integer>> children = new ArrayList<>();
        int[] section = new int[pages];
        for (int p = 0; p < pages; p++) {
            children.add(new LinkedHashSet<>());
            section[p] = levelOf[p] == 1 ? p : 0;
        }
        for (int l = 0; l + 1 < levels; l++) {
            List<Integer> parents = byLevel.get(l).stream().filter(p -> kind[p].answersHtml()).toList();
            List<Integer> below = byLevel.get(l + 1);
            for (int c : below) {
                int parent = parents.get(rnd.nextInt(parents.size()));
                children.get(parent).add(c);
                if (l >= 1) {
                    section[c] = section[parent];
                }
            }
            for (int parent : parents) {
                for (int extra = 1 + rnd.nextInt(3); extra > 0; extra--) {
                    children.get(parent).add(below.get(rnd.nextInt(below.size())));
                }
            }
        }

        for (int p = 0; p < pages; p++) {
            String path = path(p);
            List<String> links = new ArrayList<>();
            StringBuilder html = new StringBuilder();
            if (kind[p].answersHtml()) {
                html.append("<!doctype html><html><head><title>").append(title(p)).append("</title></head><body>\n")
                        .append("<nav><a href=\"/\">home</a>");
                links.add("/");
                if (section[p] != 0 && section[p] != p) {
                    html.append(" <a href=\"").append(path(section[p])).append("\">section</a>");
                    links.add(path(section[p]));
                }
                html.append("</nav>\n<h1>").append(title(p)).append("</h1>\n<ul>\n");
                for (int c : children.get(p)) {
                    html.append("<li><a href=\"").append(href(p, c, rnd)).append("\">").append(title(c))
                            .append("</a>\n");
                    links.add(path(c));
                }
                html.append("</ul>\n");
                if (!children.get(p).isEmpty() && rnd.nextInt(4) == 0) {
                    int again = children.get(p).iterator().next(); // the same page again: fetched once
                    html.append("<p>See also <a href='").append(path(again)).append("#more'>this</a>.\n");
                }
                if (rnd.nextInt(8) == 0) {
                    html.append("<!-- <a href=\"/drafts/").append(p).append("\">a draft</a> -->\n");
                }
                html.append("</body></html>\n");
            }
            nodes.put(path, new Node(path, levelOf[p], kind[p], delay[p], List.copyOf(links), html.toString()));
        }
    }

    private static String path(int page) {
        return page == 0 ? "/" : "/page/" + page;
    }

    private static String title(int page) {
        return page == 0 ? "Home" : "Page " + page;
    }

    /** A link from one page to another, written in one of the forms a crawler must resolve. */
    private static String href(int from, int to, Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> from == 0 ? "page/" + to : String.valueOf(to);          // relative to /page/
            case 1 -> from == 0 ? "./page/" + to : "./" + to + "#top";
            default -> path(to);
        };
    }

    /** {@return every page's path, {@code /} first, then by level} */
    public List<String> paths() {
        return List.copyOf(nodes.keySet());
    }

    /** {@return the number of levels: the deepest page is at depth {@code levels() - 1}} */
    public int levels() {
        return levels;
    }

    /**
     * {@return what a page does}
     * @param path the page's path
     * @throws IllegalArgumentException if it is not a page of the site
     */
    public Kind kind(String path) {
        return node(path).kind();
    }

    /**
     * {@return the paths a page links to, in order, each once (none for a failing page)}
     * @param path the page's path
     * @throws IllegalArgumentException if it is not a page of the site
     */
    public List<String> links(String path) {
        return node(path).links();
    }

    /**
     * {@return the pages a breadth-first crawl from {@code /} reaches down to a depth, each with its
     * depth (its level), in breadth-first order} Only pages that answer with HTML are followed.
     * @param maxDepth the deepest depth followed (0: {@code /} alone)
     */
    public Map<String, Integer> depths(int maxDepth) {
        Map<String, Integer> depth = new LinkedHashMap<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of("/"));
        depth.put("/", 0);
        while (!todo.isEmpty()) {
            String p = todo.removeFirst();
            int d = depth.get(p);
            if (d == maxDepth || !kind(p).answersHtml()) {
                continue;
            }
            for (String l : links(p)) {
                if (depth.putIfAbsent(l, d + 1) == null) {
                    todo.addLast(l);
                }
            }
        }
        return depth;
    }

    private Node node(String path) {
        Node n = nodes.get(path);
        if (n == null) {
            throw new IllegalArgumentException("not a page of the site: " + path);
        }
        return n;
    }

    /**
     * Starts serving on a free port of 127.0.0.1, on the running loop. Suspends while the server
     * starts.
     *
     * @throws Exception if the server cannot start
     * @throws IllegalStateException if started already
     */
    public void start() throws Exception {
        if (runner != null) {
            throw new IllegalStateException("started already");
        }
        Application app = new Application();
        app.router().get("/{path:.*}", this::serve);
        // no access log (the crawl's output is the point); a short grace at close, since the page
        // that never answers is woken then anyway
        runner = new AppRunner(app, ServerSettings.defaults().withAccessLog(false)
                .withShutdownTimeout(Duration.ofMillis(200)));
        runner.setup();
        site = runner.addTcpSite("127.0.0.1", 0);
    }

    private Response serve(Request r) {
        String path = r.path() + (r.queryString().isEmpty() ? "" : "?" + r.queryString());
        requests.merge(path, 1, Integer::sum);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
            Node n = nodes.get(path);
            if (n == null) {
                return Response.text("not a page of the demo site\n").setStatus(404);
            }
            if (n.kind() == Kind.HANG) {
                closing.waitUntilSet(); // a client that gives up first disconnects, and so cancels this
                return Response.text("closing\n").setStatus(503);
            }
            sleep(n.delay());
            return switch (n.kind()) {
                case NOT_FOUND -> Response.text("gone\n").setStatus(404);
                case SERVER_ERROR -> Response.text("broken\n").setStatus(500);
                default -> Response.html(n.html());
            };
        } finally {
            inFlight--;
        }
    }

    /**
     * {@return the site's URL, {@code http://127.0.0.1:PORT/}}
     * @throws IllegalStateException if not started
     */
    public String url() {
        if (site == null) {
            throw new IllegalStateException("not started");
        }
        return site.url() + "/";
    }

    /** {@return how many requests each path got, pages of the site or not} */
    public Map<String, Integer> requests() {
        return Map.copyOf(requests);
    }

    /** {@return the most requests the site was serving at once} */
    public int maxInFlight() {
        return maxInFlight;
    }

    /**
     * Stops the server: wakes the page that never answers, then shuts down gracefully. Idempotent.
     * Suspends; checks for cancellation.
     */
    @Override
    public void close() {
        closing.set();
        if (runner != null) {
            runner.close();
        }
    }

    /** {@return the site in a sentence: its size and its slow and failing pages} */
    @Override
    public String toString() {
        Map<Kind, Integer> n = new EnumMap<>(Kind.class);
        nodes.values().forEach(p -> n.merge(p.kind(), 1, Integer::sum));
        return String.format(Locale.ROOT, "%d pages in %d levels, %d slow (200-800 ms), %d missing (404), "
                + "%d broken (500), %d never answering", nodes.size(), levels, n.getOrDefault(Kind.SLOW, 0),
                n.getOrDefault(Kind.NOT_FOUND, 0), n.getOrDefault(Kind.SERVER_ERROR, 0), n.getOrDefault(Kind.HANG, 0));
    }
}
