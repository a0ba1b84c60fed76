package io.asyncio4j.observe;

import io.asyncio4j.internal.observe.Formats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tasks of one event loop at one moment, with what each waits on and who awaits whom:
 * immutable, safe to pass between threads. Taken on the loop's thread by {@link Observe}.
 *
 * <p>The two text formats are asyncio 3.14's {@code python -m asyncio ps} (a table) and
 * {@code pstree} (the tree of who awaits whom); both list tasks in creation order, so the same
 * program prints the same text.
 *
 * @param loop the loop's name (its thread's)
 * @param timeNanos the loop's clock when the snapshot was taken
 * @param tasks the live tasks, oldest first
 * @param statistics the loop's counters
 */
public record LoopSnapshot(String loop, long timeNanos, List<TaskInfo> tasks, LoopStatistics statistics) {
    /**
     * Checks and copies the parts.
     *
     * @param loop the loop's name
     * @param timeNanos the loop's time
     * @param tasks the tasks
     * @param statistics the counters
     */
    public LoopSnapshot {
        Objects.requireNonNull(loop, "loop");
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(statistics, "statistics");
    }

    /**
     * Finds a task by id.
     *
     * @param id the task's id
     * @return the task, if it was alive
     */
    public Optional<TaskInfo> task(long id) {
        for (TaskInfo t : tasks) {
            if (t.id() == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds a task by name (the first, oldest, of that name).
     *
     * @param name the task's name
     * @return the task, if one of that name was alive
     */
    public Optional<TaskInfo> taskNamed(String name) {
        for (TaskInfo t : tasks) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** {@return the tasks nobody awaits: the roots of {@link #formatTree()}, oldest first} */
    public List<TaskInfo> roots() {
        List<TaskInfo> out = new ArrayList<>();
        for (TaskInfo t : tasks) {
            if (t.awaitedBy().isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Formats the tasks as a table, one line each (asyncio's {@code ps}): id, name, state, what it
     * waits on, who awaits it, and the innermost frame of its own code.
     *
     * @return the table, lines ending in {@code \n}
     */
    public String formatTable() {
        return Formats.table(this);
    }

    /**
     * Formats the tree of who awaits whom (asyncio's {@code pstree}): each task under the task
     * that awaits it, roots first in creation order; tasks that await each other in a cycle are
     * printed once, marked.
     *
     * @return the tree, lines ending in {@code \n}
     */
    public String formatTree() {
        return Formats.tree(this);
    }

    /**
     * Formats every task with its whole stack, then the statistics: the long form, for a
     * deadlock report or a log.
     *
     * @return the text, lines ending in {@code \n}
     */
    public String formatStacks() {
        return Formats.stacks(this);
    }
}
