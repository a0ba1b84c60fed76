/**
 * asyncio4j core: the event loop, coroutines, tasks, structured concurrency, synchronisation,
 * queues, streams, transports and datagrams, files, and a test kit (io.asyncio4j.testing, which needs
 * JUnit 5 only for its extension).
 *
 * <p>The fast coroutine scheduler needs {@code --add-opens java.base/java.lang=io.asyncio4j}
 * (or {@code =ALL-UNNAMED} on the class path).
 */
module io.asyncio4j {
    requires jdk.unsupported;
    requires jdk.jfr; // the loop's JFR events (io.asyncio4j.internal.observe.JfrEvents)
    // Only io.asyncio4j.testing needs JUnit. Not transitive: a module that reads asyncio4j must
    // compile without JUnit (a test module using @AsyncioTest requires JUnit itself).
    requires static org.junit.jupiter.api;

    exports io.asyncio4j;
    exports io.asyncio4j.datagram;
    exports io.asyncio4j.file;
    exports io.asyncio4j.process;
    exports io.asyncio4j.observe;
    exports io.asyncio4j.queue;
    exports io.asyncio4j.stream;
    exports io.asyncio4j.sync;
    exports io.asyncio4j.testing;
    exports io.asyncio4j.transport;
}
