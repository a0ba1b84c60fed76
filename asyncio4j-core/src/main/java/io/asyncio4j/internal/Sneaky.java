package io.asyncio4j.internal;

/** Rethrows any throwable unchanged, checked or not, so awaiters see the very exception a task threw. */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} as it is.
     *
     * @param t the throwable
     * @return never returns; declared so callers can write {@code throw Sneaky.rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        throw Sneaky.<RuntimeException>raise(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E raise(Throwable t) throws E {
        throw (E) t;
    }
}
