package io.asyncio4j.internal.observe;

import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.observe.DeadlockError;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.TaskInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The deadlock report: the cycle of tasks waiting on each other, or the waiters, then the graph. */
public final class Deadlocks {
    private Deadlocks() {
    }

    /**
     * Builds the error for a loop in which nothing can wake a task. Loop thread.
     *
     * @param loop the loop
     * @return the error, with the report and the snapshot
     */
    public static DeadlockError error(EventLoopImpl loop) {
        LoopSnapshot s = Snapshots.take(loop);
        StringBuilder sb = new StringBuilder();
        sb.append("deadlock: all ").append(s.tasks().size()).append(s.tasks().size() == 1 ? " task waits" : " tasks wait")
                .append(" and nothing can wake one (no ready callback, timer, I/O, executor call, signal handler or")
                .append(" completion from another thread is pending)\n");
        List<TaskInfo> cycle = cycle(s);
        if (!cycle.isEmpty()) {
            sb.append("cycle: ");
            for (TaskInfo t : cycle) {
                sb.append('#').append(t.id()).append(' ').append(t.name()).append(" waits on ");
            }
            sb.append('#').append(cycle.getFirst().id()).append(' ').append(cycle.getFirst().name()).append('\n');
        } else {
            for (TaskInfo t : s.tasks()) {
                sb.append("  #").append(t.id()).append(' ').append(t.name()).append(" waits on ")
                        .append(t.waitingOn().description()).append('\n');
            }
        }
        sb.append(s.formatTree()).append(s.formatStacks());
        sb.append("(a thread of your own that will call callSoonThreadsafe is invisible to the loop: use toThread, "
                + "runInExecutor or await a CompletableFuture, or -Dasyncio4j.deadlockDetection=false)");
        return new DeadlockError(sb.toString(), s);
    }

    /** The first cycle of the graph "waits for" (awaited tasks, gathered tasks, a lock's holder). */
    static List<TaskInfo> cycle(LoopSnapshot s) {
        Map<Long, TaskInfo> byId = new HashMap<>();
        for (TaskInfo t : s.tasks()) {
            byId.put(t.id(), t);
        }
        Set<Long> done = new HashSet<>();
        for (TaskInfo start : s.tasks()) {
            List<TaskInfo> path = new ArrayList<>();
            List<TaskInfo> found = dfs(start, byId, path, new HashSet<>(), done);
            if (found != null) {
                return found;
            }
        }
        return List.of();
    }

    private static List<TaskInfo> dfs(TaskInfo t, Map<Long, TaskInfo> byId, List<TaskInfo> path, Set<Long> onPath,
            Set<Long> done) {
        if (onPath.contains(t.id())) {
            int i = 0;
            while (path.get(i).id() != t.id()) {
                i++;
            }
            return new ArrayList<>(path.subList(i, path.size()));
        }
        if (!done.add(t.id())) {
            return null;
        }
        path.add(t);
        onPath.add(t.id());
        for (long next : t.waitingOn().taskIds()) {
            TaskInfo n = byId.get(next);
            if (n != null) {
                List<TaskInfo> c = dfs(n, byId, path, onPath, done);
                if (c != null) {
                    return c;
                }
            }
        }
        path.removeLast();
        onPath.remove(t.id());
        return null;
    }
}
