package io.asyncio4j.testing;

import io.asyncio4j.EventLoop;
import io.asyncio4j.ExceptionContext;
import io.asyncio4j.Task;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.LoopClock;
import io.asyncio4j.internal.loop.RunnerImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/*
 * Implementation overview
 *
 * One test, one loop: the parameters (VirtualClock, EventLoop) are resolved first, so the loop
 * and its clock are made on demand and kept in the test's ExtensionContext store; the
 * interceptor then runs the method as the main task of that loop (Runner semantics: the other
 * tasks are cancelled and the loop closed afterwards). Leaks are looked for at three moments:
 * when the method returns (tasks still alive, transports and servers still open, after letting
 * the loop settle for a few iterations, since a close() completes in a later one), while the loop
 * closes (its exception handler records every report, unretrieved exceptions included), and after
 * it closed (threads named asyncio4j-* that the test started and that do not end within a
 * second). A watchdog thread cancels the main task once the real-time limit passes, so a hung
 * test fails instead of hanging the build.
 */

/**
 * The JUnit 5 extension behind {@link AsyncioTest}: runs each test method as the main task of a
 * fresh loop and fails a test that leaks. It can also be used with
 * {@code @ExtendWith(AsyncioExtension.class)} on a class, for its {@code @Test} methods, with the
 * defaults of {@link AsyncioTest}.
 */
// JUnit's types in this signature come from an optional module (requires static, not transitive):
// a transitive edge would make every module that reads asyncio4j need JUnit to compile.
@SuppressWarnings("exports")
public final class AsyncioExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AsyncioExtension.class);
    private static final int SETTLE_ITERATIONS = 20;

    /** Creates the extension; JUnit does this. */
    public AsyncioExtension() {
    }

    /** The loop of one test, made on first need. */
    private static final class TestLoop {
        final AsyncioTest config;
        final VirtualClock clock;
        final RunnerImpl runner;
        final List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());

        TestLoop(AsyncioTest config) {
            this.config = config;
            long autojump = config.autojumpMillis();
            this.clock = !config.virtualClock() ? null
                    : autojump < 0 ? VirtualClock.create() : VirtualClock.autojump(Duration.ofMillis(autojump));
            LoopClock c = clock == null ? LoopClock.SYSTEM : clock.internal();
            this.runner = new RunnerImpl(config.debug(), c);
            runner.getLoop().setExceptionHandler((loop, context) -> reports.add(context));
        }
    }

    @AsyncioTest
    private static void defaults() {
    }

    private static AsyncioTest config(ExtensionContext context) {
        Optional<Method> m = context.getTestMethod();
        if (m.isPresent()) {
            AsyncioTest a = m.get().getAnnotation(AsyncioTest.class);
            if (a != null) {
                return a;
            }
        }
        try {
            return AsyncioExtension.class.getDeclaredMethod("defaults").getAnnotation(AsyncioTest.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestLoop testLoop(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(TestLoop.class, k -> new TestLoop(config(context)),
                TestLoop.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> type = p.getParameter().getType();
        return type == VirtualClock.class || type == EventLoop.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        TestLoop t = testLoop(context);
        if (p.getParameter().getType() == EventLoop.class) {
            return t.runner.getLoop();
        }
        if (t.clock == null) {
            throw new ParameterResolutionException("a VirtualClock parameter needs @AsyncioTest(virtualClock = true)");
        }
        return t.clock;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        TestLoop t = testLoop(context);
        Set<Thread> threadsBefore = asyncioThreads();
        List<String> leaks = new ArrayList<>();
        EventLoopImpl loop = (EventLoopImpl) t.runner.getLoop();
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = startWatchdog(loop, t.config.timeoutSeconds(), timedOut);
        Throwable failure = null;
        try {
            t.runner.run(() -> {
                Throwable bodyFailure = null;
                try {
                    invocation.proceed();
                } catch (Throwable e) {
                    bodyFailure = e;
                }
                if (t.config.checkLeaks()) {
                    settle(loop);
                    leaks.addAll(openNow(loop));
                }
                if (bodyFailure != null) {
                    throw Sneaky.rethrow(bodyFailure);
                }
                return null;
            });
        } catch (Throwable e) {
            failure = e;
        } finally {
            watchdog.interrupt();
            t.runner.close();
        }
        if (timedOut.get()) {
            AssertionError e = new AssertionError("the test did not finish within " + t.config.timeoutSeconds()
                    + " s of real time: its main task was cancelled");
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (t.config.checkLeaks()) {
            for (ExceptionContext c : List.copyOf(t.reports)) {
                leaks.add("a report to the loop's exception handler: " + c.message()
                        + (c.exception() != null ? " (" + c.exception() + ")" : ""));
            }
            leaks.addAll(threadsLeft(threadsBefore));
        }
        if (failure != null) {
            for (String leak : leaks) {
                failure.addSuppressed(new AssertionError("also leaked: " + leak));
            }
            throw failure;
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the test leaked:\n  " + String.join("\n  ", leaks));
        }
    }

    /** Lets closes and cancellations that are under way finish: a few loop iterations. */
    private static void settle(EventLoopImpl loop) {
        for (int i = 0; i < SETTLE_ITERATIONS && !openNow(loop).isEmpty(); i++) {
            io.asyncio4j.Asyncio.sleep(Duration.ZERO);
        }
    }

    /** {@return the tasks besides the caller still alive, and the transports and servers open} */
    private static List<String> openNow(EventLoopImpl loop) {
        List<String> open = new ArrayList<>();
        TaskImpl<?> me = TaskImpl.current();
        for (Task<?> task : loop.tasks().liveTasks()) {
            if (task != me) {
                open.add("a task still running: " + task);
            }
        }
        for (String r : loop.io().openResources()) {
            open.add("still open: " + r);
        }
        return open;
    }

    private static Thread startWatchdog(EventLoopImpl loop, long seconds, AtomicBoolean timedOut) {
        Thread w = Thread.ofPlatform().daemon().name("asyncio4j-test-watchdog").unstarted(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(seconds));
            } catch (InterruptedException done) {
                return;
            }
            timedOut.set(true);
            try {
                loop.callSoonThreadsafe(() -> {
                    for (Task<?> task : loop.tasks().liveTasks()) {
                        task.cancel("test timed out");
                    }
                });
            } catch (IllegalStateException closed) {
                // finished meanwhile
            }
        });
        w.start();
        return w;
    }

    private static Set<Thread> asyncioThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("asyncio4j-") && !th.getName().equals("asyncio4j-test-watchdog")) {
                out.add(th);
            }
        }
        return out;
    }

    /** Threads the test started that outlive its loop by more than a second. */
    private static List<String> threadsLeft(Set<Thread> before) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        List<String> left;
        do {
            left = new ArrayList<>();
            for (Thread th : asyncioThreads()) {
                if (!before.contains(th) && th.isAlive() && !isSharedRuntimeThread(th)) {
                    left.add("a thread still alive: " + th.getName());
                }
            }
            if (left.isEmpty()) {
                return left;
            }
            LockSupport.parkNanos(10_000_000L);
        } while (System.nanoTime() < deadline);
        return left;
    }

    /** The runtime's own threads shared by every loop of the JVM, started on first use. */
    private static boolean isSharedRuntimeThread(Thread th) {
        String n = th.getName();
        // file threads, spawning threads, the process poller and the JDK children's pipe threads
        // are pools shared by every loop, whose idle threads end on their own after 30 s
        return n.equals("asyncio4j-slow-step-watchdog") || n.startsWith("asyncio4j-file-")
                || n.startsWith("asyncio4j-spawn-") || n.startsWith("asyncio4j-process-");
    }
}
