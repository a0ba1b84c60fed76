package io.asyncio4j;

/**
 * The body of a task group run by {@link Asyncio#taskGroup(TaskGroupBody)}.
 *
 * @param <T> what the body returns
 */
@FunctionalInterface
public interface TaskGroupBody<T> {

    /**
     * Runs the body, which creates children in the group.
     *
     * @param group the group
     * @return the body's result, returned once every child has finished
     * @throws Exception a failure of the body, which cancels the children and joins their failures
     */
    T run(TaskGroup group) throws Exception;
}
