package io.asyncio4j.queue;

import java.io.Serial;

/** Thrown by {@link Queue#getNowait()} on an empty queue: asyncio's {@code QueueEmpty}. */
public class QueueEmpty extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueEmpty() {
        super("queue is empty");
    }
}
