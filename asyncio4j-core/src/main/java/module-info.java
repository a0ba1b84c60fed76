/**
 * asyncio4j core: the event loop, coroutines, tasks, structured concurrency and queues.
 *
 * <p>The fast coroutine scheduler needs {@code --add-opens java.base/java.lang=io.asyncio4j}
 * (or {@code =ALL-UNNAMED} on the class path).
 */
module io.asyncio4j {
    requires jdk.unsupported;

    exports io.asyncio4j;
    exports io.asyncio4j.datagram;
    exports io.asyncio4j.queue;
    exports io.asyncio4j.stream;
    exports io.asyncio4j.sync;
    exports io.asyncio4j.transport;
}
