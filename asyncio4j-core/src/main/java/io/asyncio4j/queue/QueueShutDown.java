package io.asyncio4j.queue;

import java.io.Serial;

/**
 * Thrown by a queue that was shut down: by {@code put} at once, by {@code get} once the queue is
 * empty (at once after {@code shutdown(true)}); asyncio 3.13's {@code QueueShutDown}.
 */
public class QueueShutDown extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueShutDown() {
        super("queue is shut down");
    }
}
