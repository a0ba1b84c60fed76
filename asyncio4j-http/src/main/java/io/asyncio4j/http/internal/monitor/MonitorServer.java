package io.asyncio4j.http.internal.monitor;

import static io.asyncio4j.Asyncio.await;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.http.HttpStatus;
import io.asyncio4j.http.monitor.MonitorOptions;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.HttpException;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.RouteTableDef;
import io.asyncio4j.http.server.ServerSettings;
import io.asyncio4j.http.server.Site;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.LoopStatistics;
import io.asyncio4j.observe.Observe;
import io.asyncio4j.observe.TaskInfo;
import io.asyncio4j.sync.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/*
 * Implementation overview
 *
 * The monitor is an asyncio4j-http application on a loop of its own, on a platform thread
 * ("asyncio4j-monitor"), so that it answers while the program's loops are busy. Everything it
 * knows of another loop comes through the core's public observe API, on that loop's thread:
 * Observe.snapshot(loop) for the tasks and the tree, a probe (callSoonThreadsafe) that reads
 * loop.statistics() there and measures how long the callback waited (the lag the chart shows:
 * the loop's own lag percentiles are cumulative), Observe.cancelTask for the button. Each wait
 * on another loop is bounded (ANSWER): a held loop is shown as not answering, never hangs the
 * page. The sampler task fills each loop's history once per interval, whether or not a page is
 * open. State (histories, first-seen times) is touched by the monitor loop's tasks only.
 *
 * Two checks stand in for a login on loopback: the Host header must name the monitor itself
 * (a page on another site cannot reach it through DNS rebinding), and a cancellation must carry
 * the X-Asyncio4j-Monitor header, which a cross-site form cannot send and a cross-site fetch
 * cannot send without a CORS preflight the monitor never grants.
 */

/** The monitor's server: its thread, its loop, its routes. */
public final class MonitorServer {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j.http.monitor");
    private static final Duration ANSWER = Duration.ofSeconds(2);
    private static final String CANCEL_HEADER = "X-Asyncio4j-Monitor";

    private final MonitorOptions options;
    private final Thread thread;
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private volatile EventLoop loop;
    private volatile Event stop;
    private volatile boolean closed;
    private int port;
    /** The Host values the monitor answers to, set once it listens; null when bound to every interface. */
    private Set<String> ownHosts;
    /** Monitor loop only: per observed loop, its samples; weak, so a closed loop is forgotten. */
    private final Map<EventLoop, History> histories = new WeakHashMap<>();
    /** Monitor loop only: when the monitor first listed each task (ids are unique in the JVM). */
    private final Map<Long, Long> firstSeen = new HashMap<>();

    private MonitorServer(MonitorOptions options) {
        this.options = options;
        this.thread = new Thread(this::run, "asyncio4j-monitor");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a monitor and waits until it listens.
     *
     * @param options where and how
     * @return the monitor
     */
    public static MonitorServer start(MonitorOptions options) {
        MonitorServer s = new MonitorServer(options);
        s.thread.start();
        try {
            s.port = s.listening.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? new UncheckedIOException("the monitor cannot listen on "
                    + options.host() + ":" + options.port() + ": " + io.getMessage(), io)
                    : new IllegalStateException("the monitor failed to start", c);
        } catch (java.util.concurrent.TimeoutException e) {
            s.close();
            throw new IllegalStateException("the monitor did not start within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.close();
            throw new IllegalStateException("interrupted while the monitor started", e);
        }
        LOG.log(System.Logger.Level.INFO, "asyncio4j monitor on {0}", s.url());
        return s;
    }

    /** {@return the port} */
    public int port() {
        return port;
    }

    /** {@return the page's URL} */
    public String url() {
        String h = options.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = "127.0.0.1";
        }
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + "/";
    }

    /** Stops the server and waits (5 s at most) for its thread to end. Idempotent; any thread. */
    public void close() {
        closed = true;
        EventLoop l = loop;
        Event s = stop;
        if (l != null && s != null) {
            try {
                l.callSoonThreadsafe(s::set);
            } catch (IllegalStateException loopClosed) {
                // the monitor ended already
            }
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            Asyncio.run(this::serve);
        } catch (Throwable e) {
            if (!listening.completeExceptionally(e)) {
                LOG.log(System.Logger.Level.WARNING, "the asyncio4j monitor stopped on an error", e);
            }
        }
    }

    private void serve() throws Exception {
        loop = Asyncio.getRunningLoop();
        Event stopping = new Event();
        stop = stopping;
        // no access log: an open page polls every second, which would flood the program's log;
        // a short shutdown: the page's requests are quick, closing should be too
        ServerSettings settings = ServerSettings.defaults().withAccessLog(false)
                .withShutdownTimeout(Duration.ofMillis(500)).withMaxConnections(64);
        try (AppRunner runner = new AppRunner(app(), settings)) {
            runner.setup();
            Site site = runner.addTcpSite(options.host(), options.port());
            port = site.port();
            ownHosts = ownHosts(options.host(), port); // resolved once, not on the loop per request
            listening.complete(port);
            var sampler = Asyncio.createTask("monitor-sampler", () -> {
                sampleForever();
                return null;
            });
            if (!closed) { // a close() before stop was set could not reach the event
                stopping.waitUntilSet();
            }
            sampler.cancel();
        }
    }

    private Application app() throws IOException {
        String page;
        try (InputStream in = MonitorServer.class.getResourceAsStream("monitor.html")) {
            if (in == null) {
                throw new IOException("monitor.html is missing from the asyncio4j-http jar");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        RouteTableDef routes = new RouteTableDef()
                .get("/", r -> noStore(Response.html(page)))
                .get("/api/loops", r -> noStore(json(loopsJson())))
                .post("/api/cancel", this::cancel);
        Application app = new Application();
        app.use((request, next) -> {
            checkHost(request);
            return next.handle(request);
        });
        app.router().addRoutes(routes);
        return app;
    }

    private static Response noStore(Response r) {
        r.headers().set("Cache-Control", "no-store");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }

    private static Response json(String body) {
        return Response.bytes(body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Refuses a request whose Host is not the monitor's own address (DNS rebinding). */
    private void checkHost(Request r) {
        if (ownHosts == null) {
            return; // bound everywhere on purpose: any name of this machine is fine
        }
        String got = r.header("Host");
        if (got == null || !ownHosts.contains(got.toLowerCase(java.util.Locale.ROOT))) {
            throw new HttpException(HttpStatus.MISDIRECTED_REQUEST, "this monitor answers to " + url()
                    + " only, not to Host " + got);
        }
    }

    /** {@return the Host values naming the monitor, or null if it listens on every interface} */
    private static Set<String> ownHosts(String host, int port) throws IOException {
        if (InetAddress.getByName(host).isAnyLocalAddress()) {
            return null;
        }
        return Set.copyOf(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                (host.contains(":") ? "[" + host + "]" : host).toLowerCase(java.util.Locale.ROOT) + ":" + port));
    }

    private Response cancel(Request r) {
        if (!"cancel".equals(r.header(CANCEL_HEADER))) {
            throw new HttpException(HttpStatus.FORBIDDEN, "a cancellation needs the header " + CANCEL_HEADER
                    + ": cancel (the monitor's page sends it)");
        }
        String key = r.query("loop").orElseThrow(() -> HttpException.badRequest("no loop= parameter"));
        long id;
        try {
            id = Long.parseLong(r.query("task").orElseThrow(() -> HttpException.badRequest("no task= parameter")));
        } catch (NumberFormatException e) {
            throw HttpException.badRequest("task= is not a task id");
        }
        EventLoop target = observed().stream().filter(l -> key(l).equals(key)).findFirst().orElse(null);
        if (target == null) {
            return status(json("{\"cancelled\":false,\"reason\":" + Json.quote("no open loop " + key) + "}"),
                    HttpStatus.NOT_FOUND);
        }
        Boolean cancelled = answer(Observe.cancelTask(target, id, "cancelled from the asyncio4j monitor"));
        if (cancelled == null) {
            return status(json("{\"cancelled\":false,\"reason\":\"the loop did not answer within 2 s\"}"),
                    HttpStatus.SERVICE_UNAVAILABLE);
        }
        LOG.log(System.Logger.Level.INFO, "monitor: cancellation of task #{0} {1}", id,
                cancelled ? "sent" : "refused: no such live task");
        return cancelled ? json("{\"cancelled\":true}")
                : status(json("{\"cancelled\":false,\"reason\":\"no live task #" + id + " (done already?)\"}"),
                        HttpStatus.NOT_FOUND);
    }

    private static Response status(Response r, HttpStatus s) {
        r.setStatus(s);
        return r;
    }

    /** {@return the JVM's open loops but the monitor's own, in an order stable while the process lives} */
    private List<EventLoop> observed() {
        List<EventLoop> out = new ArrayList<>();
        for (EventLoop l : Observe.openLoops()) {
            if (l != loop) {
                out.add(l);
            }
        }
        out.sort(Comparator.comparing(MonitorServer::key));
        return out;
    }

    /** A name for a loop that gives no snapshot (snapshots name a loop after its thread). */
    private static String name(EventLoop l) {
        return "loop " + key(l);
    }

    private static String key(EventLoop l) {
        return Integer.toHexString(System.identityHashCode(l));
    }

    /** What a probe brings back from a loop's own thread. */
    private record Probe(long lagNanos, LoopStatistics statistics) {
    }

    /** The lag and task count samples of one loop, oldest first. */
    private static final class History {
        final double[] lagMs;
        final int[] tasks;
        int size;
        int next;

        History(int capacity) {
            lagMs = new double[capacity];
            tasks = new int[capacity];
        }

        void add(double lag, int taskCount) {
            lagMs[next] = lag;
            tasks[next] = taskCount;
            next = (next + 1) % lagMs.length;
            size = Math.min(size + 1, lagMs.length);
        }

        void appendJson(StringBuilder sb) {
            int start = (next - size + lagMs.length) % lagMs.length;
            sb.append("{\"lagMs\":[");
            for (int i = 0; i < size; i++) {
                sb.append(i > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "%.3f",
                        lagMs[(start + i) % lagMs.length]));
            }
            sb.append("],\"tasks\":[");
            for (int i = 0; i < size; i++) {
                sb.append(i > 0 ? "," : "").append(tasks[(start + i) % tasks.length]);
            }
            sb.append("]}");
        }
    }

    /** Measures how long a callback sent to the loop waits, and reads its statistics there; null if it does not answer. */
    private static Probe probe(EventLoop l) {
        CompletableFuture<Probe> cf = new CompletableFuture<>();
        long t0 = System.nanoTime();
        try {
            l.callSoonThreadsafe(() -> cf.complete(new Probe(System.nanoTime() - t0, l.statistics())));
        } catch (IllegalStateException closedLoop) {
            return null;
        }
        return answer(cf);
    }

    /**
     * Waits (suspending this task) for another loop's answer, 2 s at most.
     *
     * @return the answer, or null when the loop did not answer in time or closed meanwhile
     */
    private static <T> T answer(CompletableFuture<T> cf) {
        try {
            return Asyncio.waitFor(() -> await(cf), ANSWER);
        } catch (TimeoutError e) {
            cf.cancel(false);
            return null;
        } catch (IllegalStateException closedLoop) {
            return null;
        }
    }

    private void sampleForever() {
        while (true) {
            for (EventLoop l : observed()) {
                if (l.isRunning()) {
                    Probe p = probe(l);
                    if (p != null) {
                        histories.computeIfAbsent(l, k -> new History(options.history()))
                                .add(p.lagNanos() / 1e6, p.statistics().tasksAlive());
                    }
                }
            }
            Asyncio.sleep(options.sampleInterval());
        }
    }

    /** The page's data: every observed loop's snapshot, statistics and history, as JSON. */
    private String loopsJson() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"pid\":").append(ProcessHandle.current().pid()).append(",\"loops\":[");
        long now = System.nanoTime();
        Set<Long> listed = new HashSet<>();
        boolean first = true;
        for (EventLoop l : observed()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"key\":").append(Json.quote(key(l)));
            if (!l.isRunning()) {
                sb.append(",\"name\":").append(Json.quote(name(l))).append(",\"answered\":false,\"reason\":")
                        .append(Json.quote("not running")).append('}');
                continue;
            }
            Probe p = probe(l);
            LoopSnapshot s = p == null ? null : answer(Observe.snapshot(l));
            if (s == null) {
                sb.append(",\"name\":").append(Json.quote(name(l))).append(",\"answered\":false,\"reason\":")
                        .append(Json.quote("did not answer within 2 s: a step holds its thread")).append('}');
                continue;
            }
            sb.append(",\"name\":").append(Json.quote(s.loop())).append(",\"answered\":true");
            sb.append(",\"lagMs\":").append(String.format(java.util.Locale.ROOT, "%.3f", p.lagNanos() / 1e6));
            sb.append(",\"statistics\":").append(Json.quote(s.statistics().format()));
            sb.append(",\"tree\":").append(Json.quote(s.formatTree()));
            History h = histories.get(l);
            sb.append(",\"history\":");
            if (h == null) {
                sb.append("{\"lagMs\":[],\"tasks\":[]}");
            } else {
                h.appendJson(sb);
            }
            sb.append(",\"tasks\":[");
            Map<Long, String> names = new HashMap<>();
            for (TaskInfo t : s.tasks()) {
                names.put(t.id(), t.name());
            }
            boolean firstTask = true;
            for (TaskInfo t : s.tasks()) {
                listed.add(t.id());
                long seen = firstSeen.computeIfAbsent(t.id(), k -> now);
                sb.append(firstTask ? "" : ",");
                firstTask = false;
                sb.append("{\"id\":").append(t.id()).append(",\"name\":").append(Json.quote(t.name()))
                        .append(",\"state\":").append(Json.quote(t.state().name().toLowerCase(java.util.Locale.ROOT)))
                        .append(",\"waitingOn\":").append(Json.quote(t.waitingOn().description()))
                        .append(",\"cancelling\":").append(t.cancelling())
                        .append(",\"seenForMs\":").append((now - seen) / 1_000_000)
                        .append(",\"awaitedBy\":[");
                for (int i = 0; i < t.awaitedBy().size(); i++) {
                    long by = t.awaitedBy().get(i);
                    sb.append(i > 0 ? "," : "").append(Json.quote("#" + by + " " + names.getOrDefault(by, "")));
                }
                sb.append("],\"stack\":[");
                for (int i = 0; i < t.stack().size(); i++) {
                    sb.append(i > 0 ? "," : "").append(Json.quote(t.stack().get(i).toString()));
                }
                sb.append("]}");
            }
            sb.append("]}");
        }
        sb.append("]}");
        firstSeen.keySet().retainAll(listed);
        return sb.toString();
    }
}
