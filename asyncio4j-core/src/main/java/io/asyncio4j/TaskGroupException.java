package io.asyncio4j;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The failures of a {@link TaskGroup}, raised together once every child has finished: the Java
 * form of asyncio's {@code ExceptionGroup('unhandled errors in a TaskGroup', errors)}.
 *
 * <p>{@link #exceptions()} lists every child failure (and the body's, when the group saw it) in
 * the order they happened; each is also attached as a {@linkplain #getSuppressed() suppressed}
 * exception so that a printed stack trace shows them all. Cancelled children are not failures
 * and do not appear.
 */
public class TaskGroupException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Shared with the other instances raised by the same group, so that all see every failure. */
    private final transient List<Throwable> errors;

    /**
     * Creates a group exception over a list of failures.
     *
     * @param message the detail message
     * @param errors the failures; this exception sees later additions to the list
     */
    public TaskGroupException(String message, List<Throwable> errors) {
        super(message, null, true, true);
        this.errors = errors;
    }

    /**
     * Creates a group exception holding a copy of the given failures.
     *
     * @param errors the failures, at least one
     * @return the exception
     */
    public static TaskGroupException of(List<? extends Throwable> errors) {
        TaskGroupException e = new TaskGroupException("unhandled errors in a TaskGroup", new ArrayList<>(errors));
        for (Throwable t : errors) {
            e.addSuppressed(t);
        }
        return e;
    }

    /** {@return the failures, in the order they happened (unmodifiable)} */
    public List<Throwable> exceptions() {
        return Collections.unmodifiableList(errors);
    }

    @Override
    public String getMessage() {
        int n = errors.size();
        return super.getMessage() + " (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }
}
