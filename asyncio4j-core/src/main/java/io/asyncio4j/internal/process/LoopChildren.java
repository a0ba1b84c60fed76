package io.asyncio4j.internal.process;

import io.asyncio4j.internal.loop.EventLoopImpl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished child processes of one loop. When the loop closes with some still there, it kills
 * those still running (as asyncio's transport does when it is closed or collected), closes their
 * pipes and logs them at WARNING: {@code "the loop closed with child processes still running, killed: ..."}.
 * Nothing is left behind: the poller (or the JDK) still reaps the killed ones.
 */
final class LoopChildren {
    private static final Map<EventLoopImpl, LoopChildren> BY_LOOP = new ConcurrentHashMap<>();

    private final Set<SubprocessTransportImpl> children = new LinkedHashSet<>();

    /** {@return the children of a loop; the first call registers the close hook} Loop thread. */
    static LoopChildren of(EventLoopImpl loop) {
        LoopChildren c = BY_LOOP.get(loop);
        if (c == null) {
            LoopChildren made = new LoopChildren();
            loop.onClose(() -> made.loopClosing(loop));
            BY_LOOP.put(loop, made);
            c = made;
        }
        return c;
    }

    void add(SubprocessTransportImpl t) {
        children.add(t);
    }

    void remove(SubprocessTransportImpl t) {
        children.remove(t);
    }

    private void loopClosing(EventLoopImpl loop) {
        BY_LOOP.remove(loop);
        List<String> killed = new ArrayList<>();
        for (SubprocessTransportImpl t : new ArrayList<>(children)) {
            if (t.loopClosing()) {
                killed.add("pid " + t.getPid() + " (" + t.command() + ")");
            }
        }
        children.clear();
        if (!killed.isEmpty()) {
            System.getLogger("io.asyncio4j").log(System.Logger.Level.WARNING,
                    "the loop closed with child processes still running, killed: " + String.join(", ", killed));
        }
    }
}
