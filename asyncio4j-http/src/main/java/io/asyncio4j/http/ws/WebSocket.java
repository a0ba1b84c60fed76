package io.asyncio4j.http.ws;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;

/**
 * One WebSocket connection (RFC 6455), on either side: the server's {@link WebSocketResponse}
 * or the client's {@link #connect(String, WsOptions)}. aiohttp's {@code WebSocketResponse} and
 * {@code ClientWebSocketResponse}.
 *
 * {@snippet :
 * try (WebSocket ws = WebSocket.connect("ws://127.0.0.1:8080/chat")) {
 *     ws.sendText("hello");
 *     for (WsMessage m : ws) {                      // ends when the connection closes
 *         if (m instanceof WsMessage.Text t) {
 *             System.out.println(t.data());
 *         }
 *     }
 * }                                                  // close(1000, "") if still open
 * }
 *
 * <p>The library reads the connection on its own, whatever the application does: pings are
 * answered at once, the heartbeat ({@link WsOptions#withHeartbeat}) runs on the loop's timers,
 * and a close frame from the peer is answered. Received messages wait in a queue; when
 * {@link WsOptions#maxQueue()} of them are unread, the socket is no longer read (the peer's
 * sends then wait: backpressure). Sends suspend while the transport's buffer is above its
 * high-water mark.
 *
 * <p>Methods are called from tasks of the connection's loop. Several tasks may send at once:
 * each message is written whole (a streamed message holds the others back until it ends).
 */
public interface WebSocket extends Iterable<WsMessage>, AutoCloseable {

    /**
     * Connects to a WebSocket server with the default options. Suspends; checks for cancellation.
     *
     * @param url a {@code ws://} or {@code wss://} URL
     * @return the open WebSocket
     * @throws IOException if the connection or the handshake fails ({@link WsHandshakeException})
     */
    static WebSocket connect(String url) throws IOException {
        return connect(url, WsOptions.defaults());
    }

    /**
     * Connects to a WebSocket server: aiohttp's {@code ws_connect}. Opens a TCP connection (TLS
     * for {@code wss://}, with ALPN {@code http/1.1} and the host name checked), sends the
     * opening handshake (version 13, a random key, the options' subprotocols, permessage-deflate
     * when compression is on, the options' {@code Origin} and fields) and checks the answer.
     * Suspends; checks for cancellation.
     *
     * @param url a {@code ws://} or {@code wss://} URL
     * @param options the options
     * @return the open WebSocket
     * @throws IOException if the connection fails, or the handshake does
     *     ({@link WsHandshakeException}: a status other than 101 with its body's start, a wrong
     *     accept value, a subprotocol or extension that was not offered)
     * @throws IllegalArgumentException if the URL is not a ws:// or wss:// URL
     */
    static WebSocket connect(String url, WsOptions options) throws IOException {
        return io.asyncio4j.http.internal.ws.WsClientHandshake.connect(url, options);
    }

    /**
     * Waits for the next message. After the connection closed, returns its {@link WsMessage.Close}
     * again on every call. Suspends; checks for cancellation.
     *
     * @return the message
     */
    WsMessage receive();

    /**
     * Waits for the next message, at most for a while. Suspends; checks for cancellation.
     *
     * @param timeout how long to wait
     * @return the message
     * @throws io.asyncio4j.TimeoutError if none came in time (the connection stays open)
     */
    WsMessage receive(Duration timeout);

    /**
     * Waits for a text message. Suspends; checks for cancellation.
     *
     * @return the text
     * @throws WsClosedException if the connection closed instead
     * @throws IllegalStateException if a binary message came (aiohttp's {@code receive_str} TypeError)
     */
    String receiveText() throws WsClosedException;

    /**
     * Waits for a binary message. Suspends; checks for cancellation.
     *
     * @return the bytes
     * @throws WsClosedException if the connection closed instead
     * @throws IllegalStateException if a text message came
     */
    byte[] receiveBytes() throws WsClosedException;

    /**
     * Waits for a text message and parses it as JSON. Suspends; checks for cancellation.
     *
     * @param type the type
     * @param <T> the type
     * @return the value
     * @throws WsClosedException if the connection closed instead
     */
    <T> T receiveJson(Class<T> type) throws WsClosedException;

    /**
     * Iterates over the messages until the connection closes; the {@link WsMessage.Close} ends the
     * iteration and is not yielded ({@link #closeCode()} tells it). {@code hasNext} suspends.
     */
    @Override
    Iterator<WsMessage> iterator();

    /**
     * Sends a text message. Suspends while the transport is above its high-water mark; checks
     * for cancellation.
     *
     * @param text the text
     * @throws WsClosedException if the connection is closing or closed
     * @throws IOException if the connection is lost
     */
    void sendText(String text) throws IOException;

    /**
     * Sends a binary message. Suspends as {@link #sendText}.
     *
     * @param data the bytes
     * @throws WsClosedException if the connection is closing or closed
     * @throws IOException if the connection is lost
     */
    void sendBinary(byte[] data) throws IOException;

    /**
     * Sends a value as a JSON text message. Suspends as {@link #sendText}.
     *
     * @param value the value
     * @throws IOException if the connection is closing, closed or lost
     */
    void sendJson(Object value) throws IOException;

    /**
     * Starts a message sent in fragments, for messages too large to hold at once: each
     * {@link MessageWriter#write} sends a frame, {@link MessageWriter#close} the last one. Other
     * sends wait until it ends. Suspends while another streamed message is being sent.
     *
     * @param binary whether the message is binary (else text: the fragments together must be UTF-8)
     * @return the writer
     * @throws IOException if the connection is closing, closed or lost
     */
    MessageWriter openMessage(boolean binary) throws IOException;

    /**
     * Sends a ping with an empty payload. Suspends as {@link #sendText}.
     *
     * @throws IOException if the connection is closing, closed or lost
     */
    void ping() throws IOException;

    /**
     * Sends a ping. Suspends as {@link #sendText}.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing, closed or lost
     */
    void ping(byte[] payload) throws IOException;

    /**
     * Sends an unsolicited pong (a one-way heartbeat). Suspends as {@link #sendText}.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing, closed or lost
     */
    void pong(byte[] payload) throws IOException;

    /**
     * Closes with 1000 (normal closure). Suspends as {@link #close(int, String)}.
     */
    @Override
    void close();

    /**
     * Starts the closing handshake and waits for it: sends a close frame, waits for the peer's
     * (messages that arrive meanwhile are dropped) up to the close timeout, then closes the
     * connection; after the timeout it is dropped and the close code is 1006. Returns at once
     * if already closed. Suspends; checks for cancellation (the connection is dropped).
     *
     * @param code the code (1000-1003, 1007-1014, 3000-4999)
     * @param reason the reason, at most 123 bytes in UTF-8
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    void close(int code, String reason);

    /**
     * {@return the close code once the connection closed (the peer's, or the one our side failed
     * it with, or 1006 if it ended without a close frame), -1 while open}
     */
    int closeCode();

    /** {@return the close reason once closed ("" when none), {@code null} while open} */
    String closeReason();

    /** {@return whether the closing handshake began (no more messages can be sent)} */
    boolean isClosing();

    /** {@return whether the connection is closed} */
    boolean isClosed();

    /** {@return the negotiated subprotocol, or {@code null}} */
    String protocol();

    /** {@return whether permessage-deflate was negotiated} */
    boolean compressed();

    /** {@return the error that ended the connection (a protocol violation, a timeout, a lost socket), or {@code null}} */
    Throwable exception();

    /**
     * A message sent in fragments ({@link WebSocket#openMessage}). Not thread-safe; one task writes.
     */
    interface MessageWriter extends AutoCloseable {
        /**
         * Sends a fragment. Suspends while the transport is above its high-water mark.
         *
         * @param data the bytes (for a text message, a piece of its UTF-8; a character may be split)
         * @throws IOException if the connection is lost
         */
        void write(byte[] data) throws IOException;

        /**
         * Sends the last fragment (empty) and lets other sends go on. Suspends as {@link #write}.
         *
         * @throws IOException if the connection is lost
         */
        @Override
        void close() throws IOException;
    }
}
