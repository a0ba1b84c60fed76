package io.asyncio4j.internal.loop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A loop's POSIX signal handlers (asyncio's add_signal_handler): the JVM-level handler installed
 * for each signal, and the one it replaced, restored on removal or when the loop closes. The
 * JVM's signal thread only queues the callback on the loop. Loop thread only.
 */
final class SignalHandlers {
    /** A signal handler of this loop: the JVM-level handler installed and the one it replaced. */
    private record Registration(Object installed, Object replaced, HandleImpl callback) {
    }

    private final EventLoopImpl loop;
    private final Map<String, Registration> handlers = new HashMap<>();

    SignalHandlers(EventLoopImpl loop) {
        this.loop = loop;
    }

    void add(String signal, HandleImpl callback) {
        String name = signalName(signal);
        Object installed = Signals.handler("asyncio4j handler of SIG" + name + " on " + loop, () -> {
            if (!loop.isClosed() && !callback.isCancelled()) {
                try {
                    loop.enqueueThreadsafe(callback);
                } catch (RuntimeException closedMeanwhile) {
                    // the loop closed as the signal arrived: nobody to run it
                }
            }
        });
        Object replaced = Signals.swap(name, installed);
        Registration earlier = handlers.get(name);
        if (earlier != null) {
            earlier.callback().cancel();
            replaced = earlier.replaced(); // what was there before this loop's first handler
        }
        handlers.put(name, new Registration(installed, replaced, callback));
    }

    /** {@return whether a handler is installed: a signal may wake the loop} */
    boolean isEmpty() {
        return handlers.isEmpty();
    }

    boolean remove(String signal) {
        String name = signalName(signal);
        Registration r = handlers.remove(name);
        if (r == null) {
            return false;
        }
        r.callback().cancel();
        Signals.restore(name, r.installed(), r.replaced());
        return true;
    }

    /** The loop closes: every handler it installed goes. */
    void removeAll() {
        for (String signal : new ArrayList<>(handlers.keySet())) {
            remove(signal);
        }
    }

    private static String signalName(String signal) {
        if (signal == null || signal.isBlank()) {
            throw new IllegalArgumentException("no signal name");
        }
        String s = signal.strip().toUpperCase(Locale.ROOT);
        return s.startsWith("SIG") ? s.substring(3) : s;
    }
}
