package io.asyncio4j.internal.task;

import io.asyncio4j.internal.loop.EventLoopImpl;

/*
 * Implementation overview
 *
 * A context is an immutable array map {var0, value0, var1, value1, ...} (null when empty), so a
 * copy is a reference copy: creating a task or scheduling a callback costs one field. Setting a
 * variable replaces the array of the current carrier:
 *   - a task: TaskImpl.ctx (each task starts with its creator's array, asyncio R1);
 *   - a callback on the loop thread: the loop's callback context, installed around the callback from
 *     the array captured when it was scheduled (R2), so its changes die with it;
 *   - Context.run(...): the Context object, installed around the body;
 *   - any other thread: a ThreadLocal.
 * The carrier object identifies "the same context" for ContextVar.reset(token).
 */

/** Where the current contextvars context lives, for whichever kind of code is running. */
public final class Contexts {
    private static final ThreadLocal<Object[]> THREAD = new ThreadLocal<>();
    private static final ThreadLocal<Object> THREAD_CARRIER = ThreadLocal.withInitial(Object::new);

    private Contexts() {
    }

    /** {@return the current context's map (null when empty)} */
    public static Object[] current() {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            return t.ctx;
        }
        EventLoopImpl l = EventLoopImpl.runningOrNull();
        if (l != null && l.callbackCarrier() != null) {
            return l.callbackContext();
        }
        return THREAD.get();
    }

    /** {@return the object that stands for the current context, for token checks} */
    public static Object carrier() {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            Object c = t.ctxCarrier();
            return c != null ? c : t;
        }
        EventLoopImpl l = EventLoopImpl.runningOrNull();
        if (l != null && l.callbackCarrier() != null) {
            return l.callbackCarrier();
        }
        return THREAD_CARRIER.get();
    }

    /**
     * Replaces the current context's map.
     *
     * @param map the new map
     */
    public static void replace(Object[] map) {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            t.ctx = map;
            return;
        }
        EventLoopImpl l = EventLoopImpl.runningOrNull();
        if (l != null && l.callbackCarrier() != null) {
            l.setCallbackContext(map);
            return;
        }
        THREAD.set(map);
    }

    /**
     * Runs a body with a given context installed as current, then hands the map the context ended
     * with (the body's changes, kept even if it throws) to {@code keep}.
     *
     * @param map the context to install
     * @param carrier the object standing for that context
     * @param body the body
     * @param keep receives the context's map when the body finished
     * @throws Exception what the body throws
     */
    public static void runIn(Object[] map, Object carrier, ThrowingBody body,
                             java.util.function.Consumer<Object[]> keep) throws Exception {
        TaskImpl<?> t = TaskImpl.current();
        if (t != null) {
            Object[] savedMap = t.ctx;
            Object savedCarrier = t.ctxCarrier();
            t.ctx = map;
            t.setCtxCarrier(carrier);
            try {
                body.run();
            } finally {
                keep.accept(t.ctx);
                t.ctx = savedMap;
                t.setCtxCarrier(savedCarrier);
            }
            return;
        }
        EventLoopImpl l = EventLoopImpl.runningOrNull();
        if (l != null && l.callbackCarrier() != null) {
            Object[] savedMap = l.callbackContext();
            Object savedCarrier = l.callbackCarrier();
            l.setCallbackScope(carrier, map);
            try {
                body.run();
            } finally {
                keep.accept(l.callbackContext());
                l.setCallbackScope(savedCarrier, savedMap);
            }
            return;
        }
        Object[] savedMap = THREAD.get();
        Object savedCarrier = THREAD_CARRIER.get();
        THREAD.set(map);
        THREAD_CARRIER.set(carrier);
        try {
            body.run();
        } finally {
            keep.accept(THREAD.get());
            THREAD.set(savedMap);
            THREAD_CARRIER.set(savedCarrier);
        }
    }

    /**
     * Runs a body on the current thread with a context installed (for executor threads).
     *
     * @param <T> the result type
     * @param map the context
     * @param body the body
     * @return its result
     * @throws Exception what it throws
     */
    public static <T> T callIn(Object[] map, java.util.concurrent.Callable<T> body) throws Exception {
        Object[] savedMap = THREAD.get();
        Object savedCarrier = THREAD_CARRIER.get();
        THREAD.set(map);
        THREAD_CARRIER.set(new Object());
        try {
            return body.call();
        } finally {
            THREAD.set(savedMap);
            THREAD_CARRIER.set(savedCarrier);
        }
    }

    /** A body that may throw. */
    @FunctionalInterface
    public interface ThrowingBody {
        /**
         * Runs it.
         *
         * @throws Exception what it throws
         */
        void run() throws Exception;
    }

    /** Marks "no value" in lookups. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    /**
     * Looks a variable up in a map.
     *
     * @param map the map, or null
     * @param var the variable
     * @return its value, or {@link #MISSING}
     */
    public static Object lookup(Object[] map, Object var) {
        if (map != null) {
            for (int i = 0; i < map.length; i += 2) {
                if (map[i] == var) {
                    return map[i + 1];
                }
            }
        }
        return MISSING;
    }

    /**
     * Returns a map with a variable set (or removed, for {@link #MISSING}); the input is unchanged.
     *
     * @param map the map, or null
     * @param var the variable
     * @param value the value, or {@link #MISSING} to remove it
     * @return the new map (null when empty)
     */
    public static Object[] with(Object[] map, Object var, Object value) {
        int n = map == null ? 0 : map.length;
        for (int i = 0; i < n; i += 2) {
            if (map[i] == var) {
                if (value == MISSING) {
                    if (n == 2) {
                        return null;
                    }
                    Object[] out = new Object[n - 2];
                    System.arraycopy(map, 0, out, 0, i);
                    System.arraycopy(map, i + 2, out, i, n - i - 2);
                    return out;
                }
                Object[] out = map.clone();
                out[i + 1] = value;
                return out;
            }
        }
        if (value == MISSING) {
            return map;
        }
        Object[] out = new Object[n + 2];
        if (n > 0) {
            System.arraycopy(map, 0, out, 0, n);
        }
        out[n] = var;
        out[n + 1] = value;
        return out;
    }
}
