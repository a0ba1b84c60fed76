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

    /** A callable whose checked exception type is a type parameter. */
    @FunctionalInterface
    private interface Call<T, E extends Exception> {
        T call() throws E;
    }

    /**
     * Calls a {@link java.util.concurrent.Callable}, letting whatever it throws pass unchanged,
     * without a {@code catch} in this frame. Why: a suspended task's frames are compiled while it
     * waits; a handler no exception had reached yet is compiled as a trap, and every task frozen
     * in that code would deoptimize its own frame when its cancellation arrives. With no handler
     * in the frame there is nothing to trap.
     *
     * @param <T> the result type
     * @param body the callable
     * @return its result
     */
    @SuppressWarnings("unchecked")
    public static <T> T call(java.util.concurrent.Callable<T> body) {
        Call<T, Exception> checked = body::call;
        return ((Call<T, RuntimeException>) (Call<T, ?>) checked).call();
    }
}
