package io.asyncio4j.internal;

/** Receives readiness of a channel registered with the loop's selector (the key's attachment). */
public interface IoHandler {

    /**
     * The channel is ready; runs on the loop thread.
     *
     * @param readyOps the ready operations of the selection key
     */
    void ioReady(int readyOps);
}
