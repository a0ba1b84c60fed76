package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.http.server.AppRunner;
import io.asyncio4j.http.testing.HttpTest;
import io.asyncio4j.http.ws.WebSocket;
import io.asyncio4j.http.ws.WsMessage;
import io.asyncio4j.http.ws.WsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The chat room through our WebSocket client: joining, names, broadcast, history, notices, slow members. */
class ChatRoomTest {

    static AppRunner serve(int memberQueue) throws Exception {
        AppRunner r = new AppRunner(ChatRoom.app(memberQueue));
        r.setup();
        r.addTcpSite("127.0.0.1", 0);
        return r;
    }

    static WebSocket join(AppRunner r, String name) throws Exception {
        WebSocket ws = WebSocket.connect("ws://127.0.0.1:" + r.sites().get(0).port() + "/ws");
        ws.sendJson(Map.of("type", "join", "name", name));
        return ws;
    }

    static Map<?, ?> next(WebSocket ws) {
        WsMessage m = ws.receive(Duration.ofSeconds(5));
        if (!(m instanceof WsMessage.Text t)) {
            throw new AssertionError("expected a text message, got " + m);
        }
        return t.json(Map.class);
    }

    static Map<?, ?> nextOfType(WebSocket ws, String type) {
        while (true) {
            Map<?, ?> m = next(ws);
            if (type.equals(m.get("type"))) {
                return m;
            }
        }
    }

    @HttpTest
    void membersSeeEachOtherMessagesJoinsAndLeaves() throws Exception {
        try (AppRunner r = serve(ChatRoom.MEMBER_QUEUE)) {
            WebSocket alice = join(r, "alice");
            Map<?, ?> welcome = next(alice);
            assertEquals("welcome", welcome.get("type"));
            assertEquals(List.of("alice"), welcome.get("members"));
            WebSocket bob = join(r, "bob");
            assertEquals(List.of("alice", "bob"), nextOfType(bob, "welcome").get("members"));
            Map<?, ?> joined = nextOfType(alice, "join");
            assertEquals("alice", joined.get("name"), "a member sees its own join first");
            joined = nextOfType(alice, "join");
            assertEquals("bob", joined.get("name"));
            alice.sendJson(Map.of("type", "say", "text", "hi bob"));
            Map<?, ?> got = nextOfType(bob, "message");
            assertEquals("alice", got.get("from"));
            assertEquals("hi bob", got.get("text"));
            assertEquals("hi bob", nextOfType(alice, "message").get("text"), "the sender gets its own message too");
            bob.close();
            Map<?, ?> left = nextOfType(alice, "leave");
            assertEquals("bob", left.get("name"));
            assertEquals(List.of("alice"), left.get("members"));
            alice.close();
        }
    }

    @HttpTest
    void newcomersGetTheLast100MessagesAndNamesAreUnique() throws Exception {
        try (AppRunner r = serve(ChatRoom.MEMBER_QUEUE)) {
            WebSocket alice = join(r, "alice");
            nextOfType(alice, "welcome");
            for (int i = 0; i < 120; i++) {
                alice.sendJson(Map.of("type", "say", "text", "m" + i));
            }
            for (int i = 0; i < 120; i++) {
                assertEquals("m" + i, nextOfType(alice, "message").get("text"));
            }
            WebSocket again = join(r, "alice");
            Map<?, ?> err = next(again);
            assertEquals("error", err.get("type"));
            assertTrue(((String) err.get("text")).contains("taken"), err.toString());
            again.sendJson(Map.of("type", "join", "name", "carol"));
            List<?> history = (List<?>) nextOfType(again, "welcome").get("history");
            assertEquals(100, history.size());
            assertEquals("m20", ((Map<?, ?>) history.get(0)).get("text"));
            assertEquals("m119", ((Map<?, ?>) history.get(99)).get("text"));
            again.close();
            alice.close();
        }
    }

    @HttpTest
    void aMemberThatCannotKeepUpIsDisconnectedAndTheRoomGoesOn() throws Exception {
        try (AppRunner r = serve(8)) {
            // a member that never reads: its socket buffers fill, then its queue of 8, then it is dropped
            WebSocket slow = WebSocket.connect("ws://127.0.0.1:" + r.sites().get(0).port() + "/ws",
                    WsOptions.defaults().withMaxQueue(1).withCompression(false));
            slow.sendJson(Map.of("type", "join", "name", "slow"));
            WebSocket alice = join(r, "alice");
            nextOfType(alice, "welcome");
            String big = "€".repeat(1900); // 5.7 KB a message: the loopback socket buffers fill in a few MB
            Map<?, ?> leave = null;
            for (int i = 0; i < 5000 && leave == null; i++) {
                alice.sendJson(Map.of("type", "say", "text", big));
                while (true) {
                    Map<?, ?> m = next(alice);
                    if ("leave".equals(m.get("type"))) {
                        leave = m;
                        break;
                    }
                    if ("message".equals(m.get("type"))) {
                        break;
                    }
                }
            }
            assertTrue(leave != null, "the slow member was dropped");
            assertEquals("slow", leave.get("name"));
            assertEquals(List.of("alice"), leave.get("members"));
            alice.sendJson(Map.of("type", "say", "text", "still here"));
            Map<?, ?> after;
            do {
                after = nextOfType(alice, "message"); // alice's own messages broadcast before it come first
            } while (!"still here".equals(after.get("text")));
            assertEquals("alice", after.get("from"), "the room goes on without the slow member");
            // the slow client finds the reason at the end of what it had not read
            WsMessage last;
            do {
                last = slow.receive(Duration.ofSeconds(10));
            } while (!(last instanceof WsMessage.Close));
            assertEquals(new WsMessage.Close(1008, "too slow: the room's messages piled up"), last);
            slow.close();
            alice.close();
            Asyncio.sleep(Duration.ofMillis(10));
        }
    }
}
