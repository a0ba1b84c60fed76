package io.asyncio4j.http.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the {@link Monitor} listens and how often it samples: loopback on a port the system
 * picks, by default.
 *
 * <p>The page shows every task's stack and lets whoever reaches it cancel tasks: bind it to
 * another interface ({@link #withHost}) only on a network you trust, behind your own access
 * control. The monitor refuses requests whose {@code Host} is not its own address (DNS
 * rebinding) and cancellations without its header (cross-site requests), but it has no login.
 *
 * @param host the address to listen on
 * @param port the port, 0 for one the system picks
 * @param sampleInterval how often the loops' lag and task counts are sampled for the chart
 * @param history how many samples the chart keeps per loop
 */
public record MonitorOptions(String host, int port, Duration sampleInterval, int history) {
    /** Checks the options. */
    public MonitorOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("sampleInterval must be positive: " + sampleInterval);
        }
        if (history < 2) {
            throw new IllegalArgumentException("history must be at least 2 samples: " + history);
        }
    }

    /** {@return loopback (127.0.0.1), a port the system picks, a sample a second, two minutes of history} */
    public static MonitorOptions defaults() {
        return new MonitorOptions("127.0.0.1", 0, Duration.ofSeconds(1), 120);
    }

    /**
     * {@return these options listening on another address (see the warning above)}
     * @param host the address, e.g. {@code 0.0.0.0}
     */
    public MonitorOptions withHost(String host) {
        return new MonitorOptions(host, port, sampleInterval, history);
    }

    /**
     * {@return these options on a fixed port}
     * @param port the port, 0 for one the system picks
     */
    public MonitorOptions withPort(int port) {
        return new MonitorOptions(host, port, sampleInterval, history);
    }

    /**
     * {@return these options sampling at another interval}
     * @param interval the interval between samples
     */
    public MonitorOptions withSampleInterval(Duration interval) {
        return new MonitorOptions(host, port, interval, history);
    }

    /**
     * {@return these options keeping another number of samples}
     * @param samples how many samples per loop
     */
    public MonitorOptions withHistory(int samples) {
        return new MonitorOptions(host, port, sampleInterval, samples);
    }
}
