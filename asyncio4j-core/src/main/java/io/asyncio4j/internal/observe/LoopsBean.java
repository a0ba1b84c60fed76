package io.asyncio4j.internal.observe;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.LoopsMXBean;
import io.asyncio4j.observe.Observe;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.management.ObjectName;

/**
 * The {@link LoopsMXBean} behind {@code ./asyncio4j ps PID}: registered once per JVM, when its
 * first loop is created, on a daemon thread of its own, so that neither the loop's creation nor
 * a program without loops pays for the platform MBean server.
 */
public final class LoopsBean implements LoopsMXBean {
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();
    private static final boolean ENABLED = !"false".equals(System.getProperty("asyncio4j.mbean"));

    private LoopsBean() {
    }

    /** Registers the MXBean unless it is registered or turned off. Any thread; returns at once. */
    public static void registerOnce() {
        if (!ENABLED || !REGISTERED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(LoopsBean::register, "asyncio4j-mbean");
        t.setDaemon(true);
        t.start();
    }

    private static void register() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new LoopsBean(), new ObjectName(OBJECT_NAME));
        } catch (Exception | LinkageError e) {
            // another class loader's asyncio4j registered first, or JMX is absent from this runtime:
            // ps from outside then sees that copy or nothing; the program itself is unaffected
        }
    }

    @Override
    public int getOpenLoopCount() {
        return EventLoopImpl.openLoops().size();
    }

    @Override
    public String ps() {
        return each(LoopSnapshot::formatTable);
    }

    @Override
    public String pstree() {
        return each(LoopSnapshot::formatTree);
    }

    @Override
    public String stacks() {
        return each(LoopSnapshot::formatStacks);
    }

    private static String each(Function<LoopSnapshot, String> format) {
        List<EventLoopImpl> loops = EventLoopImpl.openLoops();
        if (loops.isEmpty()) {
            return "no asyncio4j loop is open in this JVM\n";
        }
        loops.sort(Comparator.comparing((EventLoopImpl l) -> l.owner().getName()).thenComparing(System::identityHashCode));
        StringBuilder sb = new StringBuilder();
        for (EventLoopImpl l : loops) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(one(l, format));
        }
        return sb.toString();
    }

    private static String one(EventLoopImpl l, Function<LoopSnapshot, String> format) {
        String name = l.owner().getName();
        if (!l.isRunning()) {
            // its tasks (if any) are only touched by the thread that will run it next
            return "loop " + name + ": not running\n";
        }
        CompletableFuture<LoopSnapshot> s = Observe.snapshot(l);
        try {
            return format.apply(s.get(ANSWER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            s.cancel(false);
            return "loop " + name + ": did not answer within " + ANSWER_TIMEOUT_MILLIS
                    + " ms (a step holds its thread: jstack shows where)\n";
        } catch (ExecutionException e) {
            return "loop " + name + ": " + e.getCause().getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "loop " + name + ": interrupted\n";
        }
    }
}
