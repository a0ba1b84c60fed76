package io.asyncio4j.http.ws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncio4j.http.JsonCodec;
import java.util.Arrays;

/**
 * A message received on a {@link WebSocket}: aiohttp's {@code WSMessage}, as a sealed type for
 * pattern matching. Iteration yields {@link Text} and {@link Binary} (and {@link Ping} and
 * {@link Pong} when {@link WsOptions#withDeliverPings asked for}); {@link WebSocket#receive()}
 * also returns the {@link Close} that ends the connection.
 *
 * {@snippet :
 * for (WsMessage m : ws) {
 *     switch (m) {
 *         case WsMessage.Text t -> ws.sendText("echo: " + t.data());
 *         case WsMessage.Binary b -> ws.sendBinary(b.data());
 *         default -> { }
 *     }
 * }
 * }
 */
public sealed interface WsMessage {

    /**
     * A text message (validated UTF-8).
     *
     * @param data the text
     */
    record Text(String data) implements WsMessage {
        /**
         * {@return the text parsed as JSON into a type}
         * @param type the type
         * @param <T> the type
         * @throws IllegalArgumentException if the text is not JSON of that type
         */
        public <T> T json(Class<T> type) {
            return JsonCodec.defaultCodec().decode(data.getBytes(UTF_8), type);
        }
    }

    /**
     * A binary message.
     *
     * @param data the bytes
     */
    record Binary(byte[] data) implements WsMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    /**
     * The end of the connection: the peer's close frame (its code and reason), or the code our
     * side failed or lost the connection with: 1002 protocol error, 1006 abnormal closure (the
     * connection ended without a close frame, or the close or heartbeat timed out), 1007
     * invalid text, 1009 message too big.
     *
     * @param code the close code (1005 when the peer's close frame carried none)
     * @param reason the reason, "" when none
     */
    record Close(int code, String reason) implements WsMessage {
    }

    /**
     * A ping the peer sent (answered by the library already), delivered only when asked for.
     *
     * @param payload its payload
     */
    record Ping(byte[] payload) implements WsMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }
    }

    /**
     * A pong the peer sent, delivered only when asked for.
     *
     * @param payload its payload
     */
    record Pong(byte[] payload) implements WsMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }
    }
}
