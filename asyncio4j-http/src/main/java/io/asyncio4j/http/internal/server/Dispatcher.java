package io.asyncio4j.http.internal.server;

/** Runs an exchange's handler chain and completes its response: given by the server's front. */
@FunctionalInterface
public interface Dispatcher {
    /**
     * Handles the exchange, in its task; calls {@link Exchange#handlerDone()} at the end.
     * Suspends as the handler does.
     *
     * @param exchange the exchange
     */
    void dispatch(Exchange exchange);
}
