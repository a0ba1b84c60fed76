package io.asyncio4j.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.concurrent.locks.LockSupport;

/**
 * Ctrl-C for a run on the main thread, as asyncio.run does it: the first SIGINT cancels the main
 * task; the second, or the end of a main task cancelled by the first, gives the signal back to the
 * JVM's own handler (which exits with status 130, running shutdown hooks). Disabled with the
 * system property {@code asyncio4j.handleSigint=false}.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is reached through method handles so that
 * the build stays free of warnings about internal API.
 */
final class SigintHandler {
    private static final Object INT;
    private static final Class<?> HANDLER_TYPE;
    private static final MethodHandle HANDLE;
    private static final MethodHandle RAISE;

    static {
        Object sig = null;
        Class<?> type = null;
        MethodHandle handle = null;
        MethodHandle raise = null;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            type = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            sig = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class)).invoke("INT");
            handle = lookup.findStatic(signal, "handle", MethodType.methodType(type, signal, type));
            raise = lookup.findStatic(signal, "raise", MethodType.methodType(void.class, signal));
        } catch (Throwable e) {
            sig = null;
        }
        INT = sig;
        HANDLER_TYPE = type;
        HANDLE = handle;
        RAISE = raise;
    }

    private final EventLoopImpl loop;
    private final TaskImpl<?> main;
    private Object previous;
    private volatile boolean fired;

    private SigintHandler(EventLoopImpl loop, TaskImpl<?> main) {
        this.loop = loop;
        this.main = main;
    }

    static SigintHandler install(EventLoopImpl loop, TaskImpl<?> main) {
        Thread t = Thread.currentThread();
        boolean mainThread = "main".equals(t.getName()) && t.getThreadGroup() != null
                && "main".equals(t.getThreadGroup().getName());
        if (INT == null || !mainThread
                || !Boolean.parseBoolean(System.getProperty("asyncio4j.handleSigint", "true"))) {
            return null;
        }
        SigintHandler h = new SigintHandler(loop, main);
        Object proxy = Proxy.newProxyInstance(SigintHandler.class.getClassLoader(), new Class<?>[] {HANDLER_TYPE},
                (p, method, args) -> {
                    if (method.getName().equals("handle")) {
                        h.onSignal();
                        return null;
                    }
                    return switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == args[0];
                        default -> "asyncio4j SIGINT handler";
                    };
                });
        try {
            h.previous = HANDLE.invoke(INT, proxy);
        } catch (Throwable e) {
            return null;
        }
        return h;
    }

    private void onSignal() {
        if (!fired) {
            fired = true;
            try {
                loop.callSoonThreadsafe(() -> main.cancel((String) null));
                return;
            } catch (IllegalStateException closed) {
                // the loop is gone: behave as the second Ctrl-C
            }
        }
        reraise();
    }

    boolean fired() {
        return fired;
    }

    synchronized void restore() {
        if (previous != null) {
            try {
                HANDLE.invoke(INT, previous);
            } catch (Throwable e) {
                // nothing more to do: the handler stays installed
            }
            previous = null;
        }
    }

    /** Hands the signal to the JVM's handler and waits a little for the exit it causes. */
    void reraise() {
        restore();
        try {
            RAISE.invoke(INT);
        } catch (Throwable e) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // a stale unpark permit must not end the wait early
        }
    }
}
