package io.asyncio4j;

import java.util.List;

/**
 * What an event loop reports to its {@link ExceptionHandler}: asyncio's context dictionary as a
 * record. Components that do not apply are {@code null} (or empty).
 *
 * @param message what happened, for example {@code "Task exception was never retrieved"}
 * @param exception the exception, or {@code null}
 * @param future the future or task concerned, or {@code null}
 * @param handle the callback handle concerned, or {@code null}
 * @param sourceTraceback in debug mode, where the future, task or callback was created; else empty
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle,
                               List<StackTraceElement> sourceTraceback) {

    /** Checks the message and copies the traceback. */
    public ExceptionContext {
        if (message == null) {
            throw new NullPointerException("message");
        }
        sourceTraceback = sourceTraceback == null ? List.of() : List.copyOf(sourceTraceback);
    }

    /**
     * Creates a context with a message and an exception only.
     *
     * @param message what happened
     * @param exception the exception, or {@code null}
     * @return the context
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null, List.of());
    }

    /** {@return the task concerned, when {@link #future()} is a task; else {@code null}} */
    public Task<?> task() {
        return future instanceof Task<?> t ? t : null;
    }
}
