package io.asyncio4j.observe;

/**
 * The JVM's asyncio4j loops as a JMX MXBean, so that a program can be looked into from outside
 * without restarting it: {@code ./asyncio4j ps PID}, {@code pstree PID} and {@code stacks PID}
 * call it through the JDK's attach API, and JConsole or VisualVM show it as
 * {@value #OBJECT_NAME}.
 *
 * <p>The core registers it once, on a thread of its own, when the JVM's first loop is created
 * (nothing is registered in a program that never opens a loop; {@code -Dasyncio4j.mbean=false}
 * turns it off). It opens no port: a tool that attaches starts the JVM's local management
 * agent, which only the same user on the same machine can reach.
 *
 * <p>Each operation takes a snapshot of every open loop on the loop's own thread (see
 * {@link Observe#snapshot(io.asyncio4j.EventLoop)}) and formats them as {@link LoopSnapshot}
 * does, loops in name order, separated by a blank line. A loop whose thread is held by a step
 * is reported as not answering after {@link #ANSWER_TIMEOUT_MILLIS} milliseconds.
 */
public interface LoopsMXBean {
    /** The MXBean's object name. */
    String OBJECT_NAME = "io.asyncio4j:type=Loops";

    /** How long an operation waits for a loop's snapshot, in milliseconds. */
    long ANSWER_TIMEOUT_MILLIS = 2_000;

    /** {@return how many loops of the JVM are open (created and not closed)} */
    int getOpenLoopCount();

    /** {@return every open loop's tasks as a table (asyncio 3.14's {@code ps}), see {@link LoopSnapshot#formatTable()}} */
    String ps();

    /** {@return every open loop's await tree (asyncio 3.14's {@code pstree}), see {@link LoopSnapshot#formatTree()}} */
    String pstree();

    /** {@return every open loop's tasks with their whole stacks, see {@link LoopSnapshot#formatStacks()}} */
    String stacks();
}
