package io.asyncio4j.http.monitor;

import io.asyncio4j.http.internal.monitor.MonitorServer;

/**
 * A live monitor page for the JVM's event loops (aiomonitor's web view): every loop's tasks
 * with their state, what each waits on, who awaits it, their stacks and the await tree, the
 * loop's statistics, a chart of its lag and task count, and a button that cancels a task.
 * Opt-in: nothing listens until {@link #start()} is called.
 *
 * <p>The monitor serves from a loop on a thread of its own, so a program whose loops are busy
 * (or held by a blocking step) can still be looked at; a loop that does not answer within two
 * seconds is shown as such. Plain HTML and a small script, no framework.
 *
 * {@snippet :
 * try (Monitor monitor = Monitor.start()) {               // 127.0.0.1, a free port
 *     System.out.println("monitor at " + monitor.url());  // open it in a browser
 *     Asyncio.run(App::main);
 * }
 * }
 */
public final class Monitor implements AutoCloseable {
    private final MonitorServer server;

    private Monitor(MonitorServer server) {
        this.server = server;
    }

    /**
     * Starts a monitor on loopback, on a port the system picks. Returns once it listens; may be
     * called from any thread (from a task it blocks that task's thread for the few milliseconds
     * the server needs to bind).
     *
     * @return the running monitor
     * @throws java.io.UncheckedIOException if it cannot listen
     */
    public static Monitor start() {
        return start(MonitorOptions.defaults());
    }

    /**
     * Starts a monitor with options; see {@link #start()}.
     *
     * @param options where to listen and how often to sample
     * @return the running monitor
     * @throws java.io.UncheckedIOException if it cannot listen (the port is taken, say)
     */
    public static Monitor start(MonitorOptions options) {
        return new Monitor(MonitorServer.start(options));
    }

    /** {@return the port the monitor listens on} */
    public int port() {
        return server.port();
    }

    /** {@return the page's address, e.g. {@code http://127.0.0.1:40123/}} */
    public String url() {
        return server.url();
    }

    /** Stops the monitor: closes its listener and its connections, and ends its thread. Idempotent. */
    @Override
    public void close() {
        server.close();
    }
}
