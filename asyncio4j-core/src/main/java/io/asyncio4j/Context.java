package io.asyncio4j;

import io.asyncio4j.internal.task.Contexts;
import io.asyncio4j.internal.Sneaky;
import java.util.concurrent.Callable;

/**
 * A snapshot of context variables that code can run in: Python's {@code contextvars.Context}.
 * {@link #copyContext()} takes one; {@link #run} runs code with it as the current context, and
 * what that code sets stays in this object for the next run.
 */
public final class Context {
    private Object[] map;

    private Context(Object[] map) {
        this.map = map;
    }

    /**
     * Copies the current context. Never suspends.
     *
     * @return the copy
     */
    public static Context copyContext() {
        return new Context(Contexts.current());
    }

    /**
     * Runs a body with this context as the current one; the body's changes stay in this context,
     * even when it throws. Suspends if the body does.
     *
     * @param <T> the result type
     * @param body the body
     * @return its result
     */
    public synchronized <T> T run(Callable<T> body) {
        Object[] result = new Object[1];
        try {
            Contexts.runIn(map, this, () -> result[0] = body.call(), m -> map = m);
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /**
     * Returns a variable's value in this context.
     *
     * @param <T> the value type
     * @param var the variable
     * @param fallback what to return when this context has no value for it
     * @return the value
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(ContextVar<T> var, T fallback) {
        Object v = Contexts.lookup(map, var);
        return v == Contexts.MISSING ? fallback : (T) v;
    }

    /**
     * Tells whether this context has a value for a variable.
     *
     * @param var the variable
     * @return whether it has one
     */
    public synchronized boolean contains(ContextVar<?> var) {
        return Contexts.lookup(map, var) != Contexts.MISSING;
    }

    /** {@return how many variables have a value in this context} */
    public synchronized int size() {
        return map == null ? 0 : map.length / 2;
    }
}
