package io.asyncio4j.internal.task;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import io.asyncio4j.internal.loop.EventLoopImpl;

/**
 * Chooses the coroutine driver once per JVM: the fast one when the JDK's
 * {@code VirtualThreadBuilder(Executor)} constructor is reachable (JVM option
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, or {@code =io.asyncio4j} on the module
 * path), else the compatibility one, with one warning line on standard error. The system property
 * {@code asyncio4j.scheduler} ({@code fast} or {@code compat}) forces a choice.
 */
public final class Drivers {
    private static final Constructor<?> FAST_CONSTRUCTOR;
    private static final String COMPAT_REASON;
    private static volatile boolean warned;

    static {
        String forced = System.getProperty("asyncio4j.scheduler", "auto");
        Constructor<?> ctor = null;
        String reason = null;
        if (forced.equals("compat")) {
            reason = "system property asyncio4j.scheduler=compat";
        } else {
            try {
                Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                ctor = c.getDeclaredConstructor(Executor.class);
                ctor.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                ctor = null;
                reason = e.getClass().getSimpleName();
                if (forced.equals("fast")) {
                    throw new ExceptionInInitializerError(new IllegalStateException(
                            "asyncio4j.scheduler=fast but the JVM option " + option() + " is missing", e));
                }
            }
        }
        FAST_CONSTRUCTOR = ctor;
        COMPAT_REASON = reason;
        resolveVirtualThreadExit();
        startJdkPollers();
    }

    /**
     * Starts the JDK's I/O pollers before any task exists. By default (Linux) they are virtual
     * threads, made on first use by the first virtual thread that blocks in socket I/O, and a
     * virtual thread made without a scheduler inherits its creator's: were that creator a task on
     * the fast path, the pollers would run on its loop, and once that loop closed every virtual
     * thread of the JVM would hang in socket I/O.
     */
    private static void startJdkPollers() {
        if (Thread.currentThread().isVirtual()) {
            try {
                // not a lambda of this class: its body would wait for this class initializer
                Thread.ofPlatform().start(new PollerStarter()).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            new PollerStarter().run();
        }
    }

    /** Initializes the JDK's poller class, which starts its poller threads. */
    private static final class PollerStarter implements Runnable {
        @Override
        public void run() {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK: nothing to start
            }
        }
    }

    /**
     * Runs one virtual thread to its end before any task exists. The JIT compiles
     * VirtualThread.run with an uncommon trap for the JFR event classes its exit path names if
     * they are still unresolved then; every task frozen with that compiled frame would later
     * deoptimize on exit, one by one (measured: most of a million tasks' exit cost). Running the
     * exit path once in the interpreter resolves them first.
     */
    private static void resolveVirtualThreadExit() {
        try {
            // a JDK method, not a lambda of this class: its body would wait for this class initializer
            Thread.ofVirtual().start(Thread::onSpinWait).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Drivers() {
    }

    /** {@return the JVM option that enables the fast path for this library's module} */
    public static String option() {
        Module m = Drivers.class.getModule();
        return "--add-opens java.base/java.lang=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /** {@return "fast" when tasks are virtual threads scheduled by the loop, else "compat"} */
    public static String mode() {
        return FAST_CONSTRUCTOR != null ? "fast" : "compat";
    }

    private static final java.util.concurrent.atomic.AtomicBoolean PRIMED = new java.util.concurrent.atomic.AtomicBoolean();

    /** Runs {@link Prime} once per JVM, when the first loop is created (after this class is ready). */
    static void primeOnce() {
        if (!PRIMED.get() && PRIMED.compareAndSet(false, true)
                && Boolean.parseBoolean(System.getProperty("asyncio4j.prime", "true"))) {
            Prime.runtimePaths();
        }
    }

    static Driver create(EventLoopImpl loop) {
        if (FAST_CONSTRUCTOR != null) {
            return new FastDriver(loop);
        }
        if (!warned) {
            warned = true;
            System.err.println("asyncio4j: WARNING: coroutines run in compatibility mode (slower task switches; "
                    + "a blocking JDK call in a task holds the loop); add the JVM option " + option()
                    + " for the fast path");
        }
        return new CompatDriver(loop);
    }

    static Thread.Builder.OfVirtual newFastBuilder(Executor scheduler) {
        try {
            return (Thread.Builder.OfVirtual) FAST_CONSTRUCTOR.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the fast coroutine scheduler (" + COMPAT_REASON + ")", e);
        }
    }
}
