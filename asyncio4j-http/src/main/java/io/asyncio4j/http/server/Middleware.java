package io.asyncio4j.http.server;

/**
 * A function around the handler: aiohttp's {@code @web.middleware}. Middlewares run in the order
 * they were added to the application (the first one outermost), each calling {@code next} to go
 * on, or returning a response of its own to short-circuit. The handler's exception reaches the
 * middleware through {@code next}, so a middleware may catch and replace it.
 *
 * {@snippet :
 * Middleware timing = (request, next) -> {
 *     long t0 = System.nanoTime();
 *     StreamResponse r = next.handle(request);
 *     r.headers().set("X-Elapsed-Us", Long.toString((System.nanoTime() - t0) / 1000));
 *     return r;
 * };
 * }
 */
@FunctionalInterface
public interface Middleware {
    /**
     * Handles a request around {@code next}. Suspends as the middleware and handler do.
     *
     * @param request the request
     * @param next the rest of the chain (further middlewares, then the handler)
     * @return the response
     * @throws Exception as a handler may
     */
    StreamResponse handle(Request request, Handler next) throws Exception;
}
