package io.asyncio4j.internal.loop;

import io.asyncio4j.ExceptionContext;
import io.asyncio4j.ExceptionHandler;
import io.asyncio4j.Handle;
import io.asyncio4j.internal.task.FutureImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/*
 * Implementation overview
 *
 * Every error nobody else will see goes through here to the loop's exception handler (asyncio's
 * call_exception_handler): callbacks that threw, executor calls that failed after their future
 * was cancelled, exceptions of futures nobody read (Unretrieved). Reports from other threads wait
 * in `pending`, drained on the loop thread, or by close() once the loop is gone, so none is lost
 * with the inbox. `unretrieved` is a concurrent set: the Cleaner thread removes from it.
 */

/** The loop's exception handler, and the errors waiting to reach it. */
public final class ErrorReporter {
    private static final System.Logger LOG = System.getLogger("io.asyncio4j");

    private final EventLoopImpl loop;
    private volatile ExceptionHandler handler;
    private final Set<Unretrieved> unretrieved = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<ExceptionContext> pending = new ConcurrentLinkedQueue<>();

    ErrorReporter(EventLoopImpl loop) {
        this.loop = loop;
    }

    ExceptionHandler handler() {
        return handler;
    }

    void setHandler(ExceptionHandler h) {
        handler = h;
    }

    /** asyncio's call_exception_handler: the user's handler, or the default one. */
    void call(ExceptionContext context) {
        ExceptionHandler h = handler;
        if (h == null) {
            logDefault(context);
            return;
        }
        try {
            h.handle(loop, context);
        } catch (Throwable e) {
            logDefault(new ExceptionContext("Unhandled error in exception handler", e,
                    context.future(), context.handle(), context.sourceTraceback()));
            logDefault(context);
        }
    }

    /** asyncio's default_exception_handler: one ERROR record with everything the context has. */
    static void logDefault(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.future() != null) {
            sb.append(System.lineSeparator()).append("future: ").append(context.future());
        }
        if (context.handle() != null) {
            sb.append(System.lineSeparator()).append("handle: ").append(context.handle());
        }
        if (!context.sourceTraceback().isEmpty()) {
            sb.append(System.lineSeparator()).append("created at:");
            for (StackTraceElement e : context.sourceTraceback()) {
                sb.append(System.lineSeparator()).append("\tat ").append(e);
            }
        }
        if (context.exception() != null) {
            LOG.log(System.Logger.Level.ERROR, sb.toString(), context.exception());
        } else {
            LOG.log(System.Logger.Level.ERROR, sb.toString());
        }
    }

    /** Reports an exception a ready entry threw; the loop goes on. */
    void callbackFailed(Throwable e, FutureImpl<?> future, Object entry) {
        Handle handle = entry instanceof Handle h ? h : null;
        StackTraceElement[] src = entry instanceof HandleImpl h ? h.source() : null;
        call(new ExceptionContext("Exception in callback " + entry, e, future, handle,
                src == null ? List.of() : List.of(src)));
    }

    /** Reports from any thread: through the loop while it is open, else straight to the handler. */
    void fromAnyThread(ExceptionContext context) {
        pending.add(context);
        if (!loop.isClosed()) {
            try {
                loop.enqueueThreadsafe(this::drain);
            } catch (RuntimeException closedMeanwhile) {
                // close() drains the queue
            }
        }
        if (loop.isClosed()) {
            drain();
        }
    }

    private void drain() {
        ExceptionContext c;
        while ((c = pending.poll()) != null) {
            call(c);
        }
    }

    /** Starts tracking a stored exception until someone reads it. */
    Unretrieved track(FutureImpl<?> f, Throwable error, StackTraceElement[] source) {
        Unretrieved u = new Unretrieved(this, f, error, source);
        unretrieved.add(u);
        return u;
    }

    void forget(Unretrieved u) {
        unretrieved.remove(u);
    }

    /** The loop closed: every report still waiting, then every exception never read. */
    void flushAtClose() {
        drain();
        for (Unretrieved u : new ArrayList<>(unretrieved)) {
            u.reportAtClose();
        }
        unretrieved.clear();
    }

    /** {@return how many stored exceptions nobody has read yet} */
    int unretrievedCount() {
        return unretrieved.size();
    }
}
