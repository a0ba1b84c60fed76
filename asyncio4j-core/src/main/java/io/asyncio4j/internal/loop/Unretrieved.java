package io.asyncio4j.internal.loop;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.TaskImpl;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The exception of a failed future that nobody has read yet. It is reported to the loop's
 * exception handler when the future is collected without having been read, or when the loop
 * closes, whichever comes first: never silently lost. It holds the future weakly, so it does not
 * keep it alive.
 */
public final class Unretrieved implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ErrorReporter reporter;
    private final Throwable error;
    private final WeakReference<FutureImpl<?>> future;
    private final boolean task;
    private final String description;
    private final StackTraceElement[] source;
    private volatile boolean retrieved;
    private final AtomicBoolean reported = new AtomicBoolean();

    Unretrieved(ErrorReporter reporter, FutureImpl<?> future, Throwable error, StackTraceElement[] source) {
        this.reporter = reporter;
        this.error = error;
        this.future = new WeakReference<>(future);
        this.task = future instanceof TaskImpl<?>;
        this.description = future.toString();
        this.source = source;
        CLEANER.register(future, this);
    }

    /** The exception was read: nothing to report. Any thread. */
    public void retrieved() {
        retrieved = true;
        reporter.forget(this);
    }

    /** Cleaner action: the future was collected. */
    @Override
    public void run() {
        reporter.forget(this);
        if (!retrieved && reported.compareAndSet(false, true)) {
            reporter.fromAnyThread(context(null));
        }
    }

    /** Reports now, if not yet read or reported; the loop is closing. */
    void reportAtClose() {
        if (!retrieved && reported.compareAndSet(false, true)) {
            reporter.call(context(future.get()));
        }
    }

    private ExceptionContext context(FutureImpl<?> f) {
        String message = (task ? "Task" : "Future") + " exception was never retrieved"
                + (f == null ? ": " + description : "");
        List<StackTraceElement> src = source == null ? List.of() : Arrays.asList(source);
        return new ExceptionContext(message, error, f, null, src);
    }
}
