package io.asyncio4j.internal.observe;

import io.asyncio4j.Future;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.loop.TimerEntry;
import io.asyncio4j.internal.scope.TaskGroupImpl;
import io.asyncio4j.internal.task.FutureImpl;
import io.asyncio4j.internal.task.ParkingLot;
import io.asyncio4j.internal.task.TaskImpl;
import io.asyncio4j.internal.task.Waitable;
import io.asyncio4j.observe.CallGraph;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.TaskInfo;
import io.asyncio4j.observe.TaskState;
import io.asyncio4j.observe.WaitInfo;
import io.asyncio4j.observe.WaitKind;
import io.asyncio4j.queue.Queue;
import io.asyncio4j.sync.Barrier;
import io.asyncio4j.sync.Condition;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Lock;
import io.asyncio4j.sync.Semaphore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/*
 * Implementation overview
 *
 * A snapshot is read on the loop's thread (from one of its tasks or callbacks), where every
 * field it reads is stable. Two graphs are read off the runtime's own structures, with nothing
 * recorded on the hot path:
 *  - what a task waits on is its parkedOn Waitable: a future (a task, a gather, a plain future),
 *    a ParkingLot (whose owner is the primitive), a sleep timer, a channel wait, a task group;
 *  - who awaits a future is in its done callbacks: a waiting task is itself the callback; a
 *    gather's future and a task group are callbacks of their children, and are awaited in turn.
 * A task that is RUNNING for the loop while another runs (or none) is blocked in a JDK call.
 */

/** Builds snapshots and call graphs of a loop; loop thread only. */
public final class Snapshots {
    private Snapshots() {
    }

    /**
     * Takes a snapshot of a loop's live tasks. Loop thread.
     *
     * @param loop the loop
     * @return the snapshot
     */
    public static LoopSnapshot take(EventLoopImpl loop) {
        List<TaskImpl<?>> live = new ArrayList<>(loop.tasks().liveTasks());
        live.sort(Comparator.comparingLong(TaskImpl::taskId));
        Map<Object, List<TaskImpl<?>>> awaitedVia = new IdentityHashMap<>();
        for (TaskImpl<?> t : live) {
            for (Object cb : t.callbackObjects()) {
                if ((cb instanceof FutureImpl<?> && !(cb instanceof TaskImpl<?>)) || cb instanceof TaskGroupImpl) {
                    awaitedVia.computeIfAbsent(cb, k -> new ArrayList<>()).add(t);
                }
            }
        }
        TaskImpl<?> current = TaskImpl.current();
        List<TaskInfo> out = new ArrayList<>(live.size());
        for (TaskImpl<?> t : live) {
            out.add(info(loop, t, current, awaitedVia));
        }
        return new LoopSnapshot(loop.owner().getName(), loop.time(), out, loop.statistics());
    }

    private static TaskInfo info(EventLoopImpl loop, TaskImpl<?> t, TaskImpl<?> current,
            Map<Object, List<TaskImpl<?>>> awaitedVia) {
        TaskState state = switch (t.stepName()) {
            case "CREATED", "READY" -> TaskState.READY;
            case "RUNNING" -> t == current ? TaskState.RUNNING : TaskState.BLOCKED;
            case "PARKED" -> TaskState.WAITING;
            default -> TaskState.DONE;
        };
        WaitInfo wait = WaitInfo.NOTHING;
        if (state == TaskState.WAITING) {
            wait = waitOf(loop, t, t.parkedOn(), awaitedVia);
        } else if (state == TaskState.BLOCKED) {
            wait = new WaitInfo(WaitKind.JDK_CALL, jdkCall(t), List.of());
        }
        List<Long> by = new ArrayList<>();
        for (TaskImpl<?> a : awaiters(t)) {
            by.add(a.taskId());
        }
        return new TaskInfo(t.taskId(), t.getName(), state, wait, stackOf(t), by, t.cancelling());
    }

    private static WaitInfo waitOf(EventLoopImpl loop, TaskImpl<?> t, Waitable w,
            Map<Object, List<TaskImpl<?>>> awaitedVia) {
        if (w instanceof TaskImpl<?> other) {
            return new WaitInfo(WaitKind.TASK, "task " + label(other), List.of(other.taskId()));
        }
        if (w instanceof TaskGroupImpl g) {
            List<TaskImpl<?>> kids = awaitedVia.getOrDefault(g, List.of());
            return new WaitInfo(WaitKind.TASK_GROUP, "TaskGroup of " + kids.size() + " " + labels(kids), ids(kids));
        }
        if (w instanceof FutureImpl<?> f) {
            List<TaskImpl<?>> kids = awaitedVia.getOrDefault(f, List.of());
            if (f.getClass().getSimpleName().startsWith("Gather")) {
                return new WaitInfo(WaitKind.GATHER, "gather of " + kids.size() + " " + labels(kids), ids(kids));
            }
            return new WaitInfo(WaitKind.FUTURE, kids.isEmpty() ? "a future" : "a future of " + labels(kids), ids(kids));
        }
        if (w instanceof ParkingLot lot) {
            Object owner = lot.owner();
            WaitKind kind = switch (owner) {
                case Lock l -> WaitKind.LOCK;
                case Event e -> WaitKind.EVENT;
                case Condition c -> WaitKind.CONDITION;
                case Semaphore s -> WaitKind.SEMAPHORE;
                case Barrier b -> WaitKind.BARRIER;
                case Queue<?> q -> WaitKind.QUEUE;
                case null, default -> WaitKind.PRIMITIVE;
            };
            TaskImpl<?> holder = lot.holder();
            String what = owner != null ? owner.toString() : "a waiter list in " + ownFrame(t);
            if (holder != null) {
                return new WaitInfo(kind, what + " held by " + label(holder), List.of(holder.taskId()));
            }
            return new WaitInfo(kind, what, List.of());
        }
        if (w instanceof TimerEntry sleep) {
            double left = Math.max(0, sleep.whenNs() - loop.time()) / 1e9;
            return new WaitInfo(WaitKind.SLEEP, String.format(Locale.ROOT, "sleep, %.3f s left", left), List.of());
        }
        String s = String.valueOf(w);
        if (s.startsWith("readable: ") || s.startsWith("writable: ")) {
            return new WaitInfo(WaitKind.IO, s, List.of());
        }
        if (w == Waitable.WAKE_ON_CANCEL) {
            return new WaitInfo(WaitKind.PRIMITIVE, "a wait in " + ownFrame(t), List.of());
        }
        return new WaitInfo(WaitKind.OTHER, s + " in " + ownFrame(t), List.of());
    }

    /** The tasks awaiting a task: directly, or through the futures and groups that await it. */
    static Set<TaskImpl<?>> awaiters(FutureImpl<?> f) {
        Set<TaskImpl<?>> out = new LinkedHashSet<>();
        collectAwaiters(f, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectAwaiters(FutureImpl<?> f, Set<TaskImpl<?>> out, Set<Object> seen) {
        if (!seen.add(f)) {
            return;
        }
        for (Object cb : f.callbackObjects()) {
            if (cb instanceof TaskImpl<?> t) {
                if (t.isParkedOn(f)) {
                    out.add(t);
                }
            } else if (cb instanceof FutureImpl<?> g) {
                collectAwaiters(g, out, seen);
            } else if (cb instanceof TaskGroupImpl g && g.task() != null && !g.task().isDone()) {
                out.add(g.task());
            }
        }
    }

    /**
     * Builds a future's call graph: its stack, then its awaiters' graphs. Loop thread.
     *
     * @param future the future
     * @return the graph
     */
    public static CallGraph callGraph(Future<?> future) {
        return callGraph(FutureImpl.of(future), java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static CallGraph callGraph(FutureImpl<?> f, Set<Object> seen) {
        seen.add(f);
        List<CallGraph> by = new ArrayList<>();
        for (TaskImpl<?> a : awaiters(f)) {
            if (!seen.contains(a)) {
                by.add(callGraph(a, seen));
            }
        }
        if (f instanceof TaskImpl<?> t) {
            return new CallGraph(t, t.getName(), stackOf(t), by);
        }
        return new CallGraph(f, f.toString(), List.of(), by);
    }

    /** A task's frames; the current task's without the frames of the call taking the snapshot. */
    private static List<StackTraceElement> stackOf(TaskImpl<?> t) {
        List<StackTraceElement> frames = t.getStack();
        if (t != TaskImpl.current()) {
            return frames;
        }
        int i = 0;
        while (i < frames.size() && (frames.get(i).getClassName().equals("io.asyncio4j.observe.Observe")
                || frames.get(i).getClassName().equals("io.asyncio4j.Asyncio"))) {
            i++;
        }
        return frames.subList(i, frames.size());
    }

    static String label(TaskImpl<?> t) {
        return "#" + t.taskId() + " " + t.getName();
    }

    private static String labels(List<TaskImpl<?>> ts) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < ts.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(label(ts.get(i)));
        }
        return sb.append(')').toString();
    }

    private static List<Long> ids(List<TaskImpl<?>> ts) {
        List<Long> out = new ArrayList<>(ts.size());
        for (TaskImpl<?> t : ts) {
            out.add(t.taskId());
        }
        return out;
    }

    /** The innermost public frame of the runtime above the coroutine: the call that waits. */
    private static String ownFrame(TaskImpl<?> t) {
        Thread th = t.thread();
        if (th == null) {
            return "?";
        }
        for (StackTraceElement e : t.rawStack()) {
            String c = e.getClassName();
            if (c.startsWith("io.asyncio4j.") && !c.startsWith("io.asyncio4j.internal.")) {
                return shortName(e);
            }
        }
        List<StackTraceElement> own = t.getStack();
        return own.isEmpty() ? "?" : shortName(own.getFirst());
    }

    /** The JDK call a blocked task is in: the outermost JDK frame above its own code. */
    private static String jdkCall(TaskImpl<?> t) {
        Thread th = t.thread();
        if (th == null) {
            return "a JDK call";
        }
        StackTraceElement[] frames = t.rawStack();
        String call = null;
        for (StackTraceElement e : frames) {
            String c = e.getClassName();
            boolean runtime = c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.")
                    || c.startsWith("sun.") || c.startsWith("io.asyncio4j.internal.");
            if (!runtime) {
                break;
            }
            if (!c.startsWith("jdk.internal.") && !c.startsWith("java.lang.VirtualThread")
                    && !c.startsWith("java.util.concurrent.locks.LockSupport") && !c.startsWith("io.asyncio4j.")) {
                call = shortName(e);
            }
        }
        return call != null ? call : "a JDK call";
    }

    static String shortName(StackTraceElement e) {
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
    }
}
