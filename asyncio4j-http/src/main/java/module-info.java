/**
 * asyncio4j http: aiohttp's web server for asyncio4j, over a strict HTTP/1.1 codec.
 *
 * <p>{@link io.asyncio4j.http} holds the nouns shared by server and client ({@code Headers},
 * {@code HttpMethod}, {@code HttpStatus}, {@code MediaType}, {@code JsonCodec}, errors);
 * {@link io.asyncio4j.http.server} the server ({@code Application}, {@code Request},
 * {@code Response}, {@code Web.runApp}); {@link io.asyncio4j.http.ws} WebSockets, both sides
 * ({@code WebSocketResponse}, {@code WebSocket.connect}); {@link io.asyncio4j.http.monitor} a live page of
 * the program's loops; {@link io.asyncio4j.http.testing} the test kit. JSON
 * uses jackson-jr when it is on the path ({@code requires static}), and so do the content
 * codings {@code br} (brotli4j) and {@code zstd} (zstd-jni).
 */
module io.asyncio4j.http {
    requires transitive io.asyncio4j;
    requires static com.fasterxml.jackson.jr.ob;
    requires static com.aayushatharva.brotli4j; // br, when present (internal.compress.Codecs)
    requires static com.github.luben.zstd_jni; // zstd, when present
    requires static org.junit.jupiter.api; // only io.asyncio4j.http.testing's extension needs it

    exports io.asyncio4j.http;
    exports io.asyncio4j.http.client;
    exports io.asyncio4j.http.monitor;
    exports io.asyncio4j.http.server;
    exports io.asyncio4j.http.testing;
    exports io.asyncio4j.http.ws;
}
