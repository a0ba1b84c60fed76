package io.asyncio4j.internal.loop;

/** Receives readiness of a channel registered with the loop's selector (the key's attachment). */
public interface IoHandler {

    /**
     * The channel is ready; runs on the loop thread.
     *
     * @param readyOps the ready operations of the selection key
     */
    void ioReady(int readyOps);

    /**
     * The loop is closing with the channel still registered: release what the loop owns (the
     * socket of a transport or a server); a channel of the user's own (sock* functions,
     * addReader) is left alone. Loop thread.
     *
     * @return what was released, for the report, or null when nothing was
     */
    default String loopClosing() {
        return null;
    }

    /**
     * Describes what {@link #loopClosing()} would release, without releasing it: the leak check
     * of the test kit names a transport or server a test left open. Loop thread.
     *
     * @return a description, or null when the loop owns nothing open here
     */
    default String openResource() {
        return null;
    }
}
