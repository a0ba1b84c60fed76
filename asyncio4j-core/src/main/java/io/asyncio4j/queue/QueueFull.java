package io.asyncio4j.queue;

import java.io.Serial;

/** Thrown by {@link Queue#putNowait} on a full queue: asyncio's {@code QueueFull}. */
public class QueueFull extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueFull() {
        super("queue is full");
    }
}
