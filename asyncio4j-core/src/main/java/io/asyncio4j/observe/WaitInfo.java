package io.asyncio4j.observe;

import java.util.List;
import java.util.Objects;

/**
 * What a task waits on: its kind, a description for people, and the tasks it waits for (the task
 * it awaits, the tasks of a gather or a task group, the holder of a lock).
 *
 * @param kind the kind of wait
 * @param description what it waits on, for people (empty for {@link WaitKind#NOTHING})
 * @param taskIds the ids ({@link TaskInfo#id()}) of the live tasks it waits for, in order
 */
public record WaitInfo(WaitKind kind, String description, List<Long> taskIds) {
    /** The wait of a task that waits on nothing. */
    public static final WaitInfo NOTHING = new WaitInfo(WaitKind.NOTHING, "", List.of());

    /**
     * Checks and copies the parts.
     *
     * @param kind the kind of wait
     * @param description what it waits on
     * @param taskIds the tasks it waits for
     */
    public WaitInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        taskIds = List.copyOf(taskIds);
    }
}
