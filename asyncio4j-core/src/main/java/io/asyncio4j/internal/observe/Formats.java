package io.asyncio4j.internal.observe;

import io.asyncio4j.observe.CallGraph;
import io.asyncio4j.observe.LoopSnapshot;
import io.asyncio4j.observe.LoopStatistics;
import io.asyncio4j.observe.TaskInfo;
import io.asyncio4j.observe.WaitKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The text formats of snapshots and call graphs: deterministic, one line per task or frame. */
public final class Formats {
    private Formats() {
    }

    /**
     * The table of asyncio's {@code ps}.
     *
     * @param s the snapshot
     * @return the text
     */
    public static String table(LoopSnapshot s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "name", "state", "waiting on", "awaited by", "at"});
        for (TaskInfo t : s.tasks()) {
            StackTraceElement top = userFrame(t);
            rows.add(new String[] {"#" + t.id(), t.name(), t.state().name().toLowerCase(java.util.Locale.ROOT),
                    t.waitingOn().kind() == WaitKind.NOTHING ? "-" : t.waitingOn().description(), ids(t.awaitedBy()),
                    top == null ? "-" : top.toString()});
        }
        int[] width = new int[6];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("loop ").append(s.loop()).append(": ").append(s.tasks().size()).append(" tasks\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.repeat(' ', width[i] - r[i].length() + 2);
                }
            }
            trimEnd(sb);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String ids(List<Long> ids) {
        if (ids.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append('#').append(id);
        }
        return sb.toString();
    }

    /**
     * The tree of asyncio's {@code pstree}.
     *
     * @param s the snapshot
     * @return the text
     */
    public static String tree(LoopSnapshot s) {
        Map<Long, TaskInfo> byId = new HashMap<>();
        for (TaskInfo t : s.tasks()) {
            byId.put(t.id(), t);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("loop ").append(s.loop()).append('\n');
        Set<Long> printed = new HashSet<>();
        List<TaskInfo> roots = s.roots();
        for (int i = 0; i < roots.size(); i++) {
            node(sb, roots.get(i), byId, "", i == roots.size() - 1, printed, new HashSet<>(), false);
        }
        // what is left awaits in a cycle: nobody is a root of it
        List<TaskInfo> left = new ArrayList<>();
        for (TaskInfo t : s.tasks()) {
            if (!printed.contains(t.id())) {
                left.add(t);
            }
        }
        for (int i = 0; i < left.size(); i++) {
            if (!printed.contains(left.get(i).id())) {
                node(sb, left.get(i), byId, "", i == left.size() - 1, printed, new HashSet<>(), true);
            }
        }
        return sb.toString();
    }

    private static void node(StringBuilder sb, TaskInfo t, Map<Long, TaskInfo> byId, String prefix, boolean last,
            Set<Long> printed, Set<Long> path, boolean cycleRoot) {
        sb.append(prefix).append(last ? "└── " : "├── ");
        boolean again = !path.add(t.id());
        printed.add(t.id());
        sb.append('#').append(t.id()).append(' ').append(t.name());
        sb.append(" (").append(t.state().name().toLowerCase(java.util.Locale.ROOT));
        if (t.waitingOn().kind() != WaitKind.NOTHING) {
            sb.append(": ").append(t.waitingOn().description());
        }
        sb.append(')');
        if (cycleRoot) {
            sb.append(" [in a cycle]");
        }
        StackTraceElement top = userFrame(t);
        if (top != null) {
            sb.append(" at ").append(top);
        }
        if (again) {
            sb.append(" [cycle: awaited above]\n");
            return;
        }
        sb.append('\n');
        if (t.waitingOn().kind() == WaitKind.LOCK) {
            return; // a lock's holder is not awaited: it is named in the description
        }
        List<TaskInfo> kids = new ArrayList<>();
        for (long id : t.waitingOn().taskIds()) {
            TaskInfo k = byId.get(id);
            if (k != null) {
                kids.add(k);
            }
        }
        String childPrefix = prefix + (last ? "    " : "│   ");
        for (int i = 0; i < kids.size(); i++) {
            node(sb, kids.get(i), byId, childPrefix, i == kids.size() - 1, printed, path, false);
        }
        path.remove(t.id());
    }

    /**
     * Every task with its whole stack, then the statistics.
     *
     * @param s the snapshot
     * @return the text
     */
    public static String stacks(LoopSnapshot s) {
        StringBuilder sb = new StringBuilder();
        sb.append("loop ").append(s.loop()).append(": ").append(s.tasks().size()).append(" tasks\n");
        for (TaskInfo t : s.tasks()) {
            sb.append('#').append(t.id()).append(' ').append(t.name()).append(" (")
                    .append(t.state().name().toLowerCase(java.util.Locale.ROOT));
            if (t.waitingOn().kind() != WaitKind.NOTHING) {
                sb.append(": ").append(t.waitingOn().description());
            }
            sb.append(')');
            if (!t.awaitedBy().isEmpty()) {
                sb.append(" awaited by ").append(ids(t.awaitedBy()));
            }
            sb.append('\n');
            for (StackTraceElement e : t.stack()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        LoopStatistics st = s.statistics();
        sb.append("statistics: ").append(st.format()).append('\n');
        return sb.toString();
    }

    /**
     * asyncio's {@code format_call_graph}.
     *
     * @param g the graph
     * @return the text
     */
    public static String callGraph(CallGraph g) {
        StringBuilder sb = new StringBuilder();
        graph(sb, g, "");
        return sb.toString();
    }

    private static void graph(StringBuilder sb, CallGraph g, String indent) {
        sb.append(indent).append("* ").append(g.name()).append('\n');
        if (!g.callStack().isEmpty()) {
            sb.append(indent).append("  + Call stack:\n");
            for (StackTraceElement e : g.callStack()) {
                sb.append(indent).append("  |   at ").append(e).append('\n');
            }
        }
        if (!g.awaitedBy().isEmpty()) {
            sb.append(indent).append("  + Awaited by:\n");
            for (CallGraph a : g.awaitedBy()) {
                graph(sb, a, indent + "     ");
            }
        }
    }

    /**
     * The innermost frame of the task's own code: below the library's public methods it called
     * (the await, the lock's acquire), which the description already names.
     *
     * @param t the task
     * @return the frame, or {@code null} for a task with no stack
     */
    public static StackTraceElement userFrame(TaskInfo t) {
        for (StackTraceElement e : t.stack()) {
            if (!isLibrary(e.getClassName())) {
                return e;
            }
        }
        return t.topFrame();
    }

    private static final String[] LIBRARY = {"io.asyncio4j.Asyncio", "io.asyncio4j.sync.", "io.asyncio4j.queue.",
        "io.asyncio4j.stream.", "io.asyncio4j.transport.", "io.asyncio4j.datagram.", "io.asyncio4j.testing.",
        "io.asyncio4j.http.server.", "io.asyncio4j.http.internal.", "java.", "jdk.", "sun."};

    private static boolean isLibrary(String c) {
        if (c.equals("io.asyncio4j.observe.Observe") || c.startsWith("io.asyncio4j.internal.")) {
            return true;
        }
        for (String p : LIBRARY) {
            if (c.startsWith(p) && !c.endsWith("Test") && !c.contains("Test$")) {
                return true;
            }
        }
        return false;
    }

    private static void trimEnd(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        sb.setLength(n);
    }
}
