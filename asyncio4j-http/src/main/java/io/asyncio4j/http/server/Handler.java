package io.asyncio4j.http.server;

/**
 * A request handler: aiohttp's {@code async def handler(request)}. It runs in a task of its own
 * and may suspend anywhere (await, sleep, read the body, call other services); it returns the
 * response, or throws an {@link HttpException} for a 4xx or 3xx answer. Any other exception
 * becomes a 500 whose body says nothing of it; the exception goes to the server's logger with
 * the request line.
 *
 * {@snippet :
 * Handler hello = request -> Response.text("Hello, " + request.matchInfo("name"));
 * }
 */
@FunctionalInterface
public interface Handler {
    /**
     * Handles a request. Suspends as the handler does; a client that disconnects cancels it.
     *
     * @param request the request
     * @return the response: a {@link Response}, or a {@link StreamResponse} the handler prepared
     *     and wrote itself
     * @throws Exception an {@link HttpException} to answer with its status; anything else for a 500
     */
    StreamResponse handle(Request request) throws Exception;
}
