package io.asyncio4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.http.server.Application;
import io.asyncio4j.http.server.Request;
import io.asyncio4j.http.server.Response;
import io.asyncio4j.http.server.StreamResponse;
import io.asyncio4j.http.server.Web;
import io.asyncio4j.http.ws.WebSocketResponse;
import io.asyncio4j.http.ws.WsMessage;
import io.asyncio4j.http.ws.WsOptions;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.queue.QueueFull;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat room on WebSockets: the server serves a page (HTML, CSS and a little JavaScript, no
 * build step) at {@code /} and the room at {@code /ws}. A member picks a name, sees who is
 * online and the last 100 messages, and every member receives what anyone says, with join and
 * leave notices.
 *
 * {@snippet lang = "shell" :
 * ./asyncio4j example chat 8080             # then open http://127.0.0.1:8080/ in two tabs
 * }
 *
 * <p>A slow or dead member does not slow the room: each member has a bounded queue (256
 * messages) drained to its socket by a task of its own; a member whose queue is full when a
 * message is broadcast is disconnected with close code 1008 and the reason "too slow: the
 * room's messages piled up". A heartbeat (20 s) drops members whose connection died silently.
 *
 * <p>The protocol (JSON text messages): the client sends {@code {"type":"join","name":..}} first,
 * then {@code {"type":"say","text":..}}; the server sends {@code welcome} (history, members),
 * {@code message} (from, text, at), {@code join} and {@code leave} (name, members) and
 * {@code error} (text).
 */
public final class ChatRoom {
    /** How many messages a newcomer gets. */
    static final int HISTORY = 100;
    /** How many messages may wait for a member before it is dropped as too slow. */
    static final int MEMBER_QUEUE = 256;
    static final int MAX_NAME = 32;
    static final int MAX_TEXT = 2000;

    private final Map<String, Member> members = new LinkedHashMap<>();
    private final ArrayDeque<Map<String, Object>> history = new ArrayDeque<>();
    private final int memberQueue;

    /** A member: its socket and the queue its sender task drains. */
    private record Member(String name, WebSocketResponse ws, Queue<Map<String, Object>> outbox) {
    }

    ChatRoom(int memberQueue) {
        this.memberQueue = memberQueue;
    }

    /**
     * {@return the chat application: the page at {@code /}, the room at {@code /ws}}
     * @param memberQueue how many messages may wait for one member
     */
    public static Application app(int memberQueue) {
        ChatRoom room = new ChatRoom(memberQueue);
        Application app = new Application();
        app.router().get("/", r -> page());
        app.router().get("/ws", room::handle);
        return app;
    }

    static Response page() throws IOException {
        try (InputStream in = ChatRoom.class.getResourceAsStream("/chat/index.html")) {
            if (in == null) {
                throw new IllegalStateException("the chat page is missing from the class path");
            }
            return Response.html(new String(in.readAllBytes(), UTF_8));
        }
    }

    /** {@return the names online, in the order they joined} */
    List<String> names() {
        return new ArrayList<>(members.keySet());
    }

    private StreamResponse handle(Request request) throws IOException {
        WebSocketResponse ws = new WebSocketResponse(WsOptions.defaults().withHeartbeat(Duration.ofSeconds(20))
                .withMaxMessageSize(16 * 1024));
        ws.prepare(request);
        Member me = join(ws);
        if (me == null) {
            return ws;
        }
        Task<Void> sender = Asyncio.createTask(() -> sendLoop(me));
        try {
            for (WsMessage m : ws) {
                if (!(m instanceof WsMessage.Text t)) {
                    continue;
                }
                Map<?, ?> msg;
                try {
                    msg = t.json(Map.class);
                } catch (IllegalArgumentException e) {
                    direct(me, Map.of("type", "error", "text", "not JSON"));
                    continue;
                }
                if ("say".equals(msg.get("type")) && msg.get("text") instanceof String text && !text.isBlank()) {
                    if (text.length() > MAX_TEXT) {
                        direct(me, Map.of("type", "error", "text", "messages are at most " + MAX_TEXT + " characters"));
                        continue;
                    }
                    Map<String, Object> said = new LinkedHashMap<>();
                    said.put("type", "message");
                    said.put("from", me.name());
                    said.put("text", text);
                    said.put("at", Instant.now().toString());
                    history.addLast(said);
                    if (history.size() > HISTORY) {
                        history.removeFirst();
                    }
                    broadcast(said);
                }
            }
        } finally {
            leave(me);
            sender.cancel();
        }
        return ws;
    }

    /** Waits for the join message; {@code null} if the client left or the name is refused (then closed). */
    private Member join(WebSocketResponse ws) throws IOException {
        while (true) {
            WsMessage m;
            try {
                m = ws.receive(Duration.ofSeconds(60));
            } catch (io.asyncio4j.TimeoutError e) {
                ws.close(1008, "no join message within 60 s");
                return null;
            }
            if (m instanceof WsMessage.Close) {
                return null;
            }
            if (!(m instanceof WsMessage.Text t)) {
                continue;
            }
            Map<?, ?> msg;
            try {
                msg = t.json(Map.class);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!"join".equals(msg.get("type")) || !(msg.get("name") instanceof String raw)) {
                ws.sendJson(Map.of("type", "error", "text", "join first: {\"type\":\"join\",\"name\":...}"));
                continue;
            }
            String name = raw.strip();
            if (name.isEmpty() || name.length() > MAX_NAME) {
                ws.sendJson(Map.of("type", "error", "text", "a name is 1 to " + MAX_NAME + " characters"));
                continue;
            }
            if (members.containsKey(name)) {
                ws.sendJson(Map.of("type", "error", "text", "the name " + name + " is taken"));
                continue;
            }
            Member me = new Member(name, ws, new Queue<>(memberQueue));
            Map<String, Object> welcome = new LinkedHashMap<>();
            welcome.put("type", "welcome");
            welcome.put("name", name);
            welcome.put("history", new ArrayList<>(history));
            welcome.put("members", names());
            members.put(name, me);
            welcome.put("members", names());
            direct(me, welcome);
            broadcast(Map.of("type", "join", "name", name, "members", names()));
            return me;
        }
    }

    private void leave(Member me) {
        if (members.remove(me.name()) == me) {
            broadcast(Map.of("type", "leave", "name", me.name(), "members", names()));
        }
    }

    /** Queues a message for every member; never suspends, so one slow member cannot hold the room. */
    private void broadcast(Map<String, Object> msg) {
        for (Member m : new ArrayList<>(members.values())) {
            direct(m, msg);
        }
    }

    private void direct(Member m, Map<String, Object> msg) {
        try {
            m.outbox().putNowait(msg);
        } catch (QueueFull e) {
            dropSlow(m);
        }
    }

    private void dropSlow(Member m) {
        if (members.remove(m.name()) != m) {
            return;
        }
        m.outbox().shutdown(true);
        // close in a task of its own: the close handshake waits, the broadcaster must not
        Asyncio.createTask(() -> m.ws().close(1008, "too slow: the room's messages piled up"));
        broadcast(Map.of("type", "leave", "name", m.name(), "members", names()));
    }

    private void sendLoop(Member me) {
        try {
            while (true) {
                Map<String, Object> msg = me.outbox().get();
                me.ws().sendJson(msg);
            }
        } catch (io.asyncio4j.queue.QueueShutDown | IOException e) {
            // the member left, was dropped, or its connection is gone (its handler sees the close)
        }
    }

    /**
     * Runs the chat server until interrupted.
     *
     * @param args the port (8080 by default)
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        System.out.println("chat room on http://127.0.0.1:" + port + "/ (Ctrl-C to stop)");
        Web.runApp(app(MEMBER_QUEUE), "127.0.0.1", port);
    }
}
