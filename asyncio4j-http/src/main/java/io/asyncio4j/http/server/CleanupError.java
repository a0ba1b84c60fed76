package io.asyncio4j.http.server;

/**
 * Shutdown or cleanup hooks failed (aiohttp's {@code web.CleanupError}): every hook ran; the
 * first failure is the cause, the others are suppressed exceptions of it.
 */
public class CleanupError extends RuntimeException {
    /**
     * Makes the error.
     *
     * @param cause the first hook's failure
     */
    public CleanupError(Throwable cause) {
        super("a shutdown or cleanup hook failed: " + cause, cause);
    }
}
