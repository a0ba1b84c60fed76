package io.asyncio4j.http.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.internal.server.RequestImpl;
import java.io.IOException;
import java.time.Duration;

/**
 * Server-Sent Events (the WHATWG {@code text/event-stream} format) on a streaming response: what
 * the aiohttp-sse package's {@code EventSourceResponse} gives aiohttp. Each {@link #send} writes
 * one event and waits while the client is slow; a comment line is sent every
 * {@link #setPingInterval ping interval} (15 s by default) so that proxies keep the connection.
 *
 * {@snippet :
 * EventSourceResponse sse = new EventSourceResponse();
 * sse.prepare(request);
 * for (int i = 0; ; i++) {
 *     sse.send("tick " + i, "tick", Integer.toString(i), null);
 *     Asyncio.sleep(Duration.ofSeconds(1));
 * }
 * }
 *
 * <p>The client's {@code Last-Event-ID} (when it reconnects) is {@link #lastEventId(Request)}. A
 * client that disconnects makes {@code send} throw an {@link IOException} (or cancels the
 * handler, with handler cancellation on).
 */
public class EventSourceResponse extends StreamResponse {
    private Duration pingInterval = Duration.ofSeconds(15);
    private Task<Void> pinger;

    /**
     * Makes the response: 200, {@code text/event-stream}, not cached and not buffered by a proxy
     * (those headers are set when it is prepared, unless the application set them).
     */
    public EventSourceResponse() {
    }

    /**
     * {@return the {@code Last-Event-ID} a reconnecting client sent, or {@code null}}
     * @param request the request
     */
    public static String lastEventId(Request request) {
        return request.headers().get("Last-Event-ID");
    }

    /**
     * Sets how often a comment keeps the connection alive, before {@link #prepare}.
     *
     * @param interval the interval, or {@code null} for no pings
     * @return this response
     */
    public EventSourceResponse setPingInterval(Duration interval) {
        if (isPrepared()) {
            throw new IllegalStateException("set the ping interval before prepare()");
        }
        this.pingInterval = interval;
        return this;
    }

    @Override
    public void prepare(Request request) throws IOException {
        if (isPrepared()) {
            return;
        }
        headers().setIfAbsent("Content-Type", "text/event-stream; charset=utf-8");
        headers().setIfAbsent("Cache-Control", "no-cache");
        headers().setIfAbsent("X-Accel-Buffering", "no");
        super.prepare(request);
        if (pingInterval != null && !pingInterval.isZero()) {
            Duration every = pingInterval;
            exchange().onHandlerDone(this::stopPinger); // also when the handler is cancelled
            pinger = Asyncio.createTask(() -> {
                while (true) {
                    Asyncio.sleep(every);
                    if (isEofSent()) {
                        return;
                    }
                    write(": ping\n\n".getBytes(UTF_8));
                }
            });
        }
    }

    /**
     * Sends an event with only data.
     *
     * @param data the data (several lines become several {@code data:} fields)
     * @throws IOException if the client disconnected
     */
    public void send(String data) throws IOException {
        send(data, null, null, null);
    }

    /**
     * Sends an event. Suspends while the client is slow to read; checks for cancellation.
     *
     * @param data the data
     * @param event the event type, or {@code null} for "message"
     * @param id the event id, or {@code null}
     * @param retry the reconnection delay to advise, or {@code null}
     * @throws IOException if the client disconnected
     * @throws IllegalArgumentException if the event type or id holds a line break
     */
    public void send(String data, String event, String id, Duration retry) throws IOException {
        StringBuilder b = new StringBuilder();
        if (id != null) {
            checkLine("id", id);
            b.append("id: ").append(id).append('\n');
        }
        if (event != null) {
            checkLine("event", event);
            b.append("event: ").append(event).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        if (retry != null) {
            b.append("retry: ").append(retry.toMillis()).append('\n');
        }
        b.append('\n');
        write(b.toString().getBytes(UTF_8));
    }

    private static void checkLine(String field, String v) {
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an SSE " + field + " may not hold a line break: " + v);
        }
    }

    @Override
    public void writeEof() throws IOException {
        stopPinger();
        super.writeEof();
    }

    @Override
    void complete(RequestImpl request) throws IOException {
        try {
            super.complete(request);
        } finally {
            stopPinger();
        }
    }

    private void stopPinger() {
        if (pinger != null && !pinger.isDone()) {
            pinger.cancel();
        }
    }
}
