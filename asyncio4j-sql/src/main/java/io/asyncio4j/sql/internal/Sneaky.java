package io.asyncio4j.sql.internal;

/** Rethrows a checked exception without declaring it, where an interface cannot declare it. */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code e} unchanged.
     *
     * @param e the exception
     * @return never returns; declared so that callers can write {@code throw Sneaky.rethrow(e)}
     */
    public static RuntimeException rethrow(Throwable e) {
        throw Sneaky.<RuntimeException>doThrow(e);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable e) throws E {
        throw (E) e;
    }
}
