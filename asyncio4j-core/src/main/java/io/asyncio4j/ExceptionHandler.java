package io.asyncio4j;

/** Receives the errors an event loop cannot deliver to anyone; see {@link EventLoop#setExceptionHandler}. */
@FunctionalInterface
public interface ExceptionHandler {

    /**
     * Handles one error. Runs on the loop's thread.
     *
     * @param loop the loop reporting it
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
