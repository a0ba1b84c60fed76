package io.asyncio4j.internal.loop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import io.asyncio4j.internal.Sneaky;

/**
 * POSIX signal handlers through {@code sun.misc.Signal} (module jdk.unsupported), reached through
 * method handles so that the build stays free of warnings about internal API. A handler runs on a
 * thread the JVM starts for each signal it delivers.
 */
final class Signals {
    private static final Class<?> HANDLER_TYPE;
    private static final MethodHandle NEW_SIGNAL;
    private static final MethodHandle HANDLE;
    private static final MethodHandle RAISE;

    static {
        Class<?> type = null;
        MethodHandle create = null;
        MethodHandle handle = null;
        MethodHandle raise = null;
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            type = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            create = lookup.findConstructor(signal, MethodType.methodType(void.class, String.class));
            handle = lookup.findStatic(signal, "handle", MethodType.methodType(type, signal, type));
            raise = lookup.findStatic(signal, "raise", MethodType.methodType(void.class, signal));
        } catch (ReflectiveOperationException | LinkageError e) {
            create = null;
        }
        HANDLER_TYPE = type;
        NEW_SIGNAL = create;
        HANDLE = create == null ? null : handle;
        RAISE = create == null ? null : raise;
    }

    private Signals() {
    }

    /** {@return whether this JVM lets programs handle signals} */
    static boolean available() {
        return NEW_SIGNAL != null;
    }

    /**
     * Makes a handler object that runs {@code onSignal}.
     *
     * @param description what {@code toString} of the handler says
     * @param onSignal what to run, on the JVM's signal thread
     * @return the handler, for {@link #swap}
     */
    static Object handler(String description, Runnable onSignal) {
        requireAvailable();
        return Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {HANDLER_TYPE},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        onSignal.run();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> description;
                });
    }

    /**
     * Installs a handler for a signal.
     *
     * @param name the signal's name without {@code SIG}, as {@code "TERM"}
     * @param handler a handler from {@link #handler}, or one {@link #swap} returned
     * @return the handler it replaces
     * @throws IllegalArgumentException if the signal is unknown, or the JVM or the OS keeps it
     */
    static Object swap(String name, Object handler) {
        requireAvailable();
        try {
            return HANDLE.invoke(NEW_SIGNAL.invoke(name), handler);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot handle SIG" + name + ": " + e.getMessage(), e);
        } catch (Throwable e) {
            throw Sneaky.rethrow(e);
        }
    }

    /**
     * Puts {@code previous} back unless someone replaced {@code ours} meanwhile (then theirs stays).
     *
     * @param name the signal's name
     * @param ours the handler installed by the caller
     * @param previous the handler it replaced
     */
    static void restore(String name, Object ours, Object previous) {
        Object current = swap(name, previous);
        if (current != ours) {
            swap(name, current);
        }
    }

    /**
     * Raises a signal in this process.
     *
     * @param name the signal's name
     */
    static void raise(String name) {
        requireAvailable();
        try {
            RAISE.invoke(NEW_SIGNAL.invoke(name));
        } catch (Throwable e) {
            throw Sneaky.rethrow(e);
        }
    }

    private static void requireAvailable() {
        if (NEW_SIGNAL == null) {
            throw new UnsupportedOperationException("this JVM has no sun.misc.Signal (module jdk.unsupported)");
        }
    }
}
