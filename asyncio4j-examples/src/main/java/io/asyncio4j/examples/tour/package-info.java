/**
 * The asyncio tour translated to asyncio4j: one class per tutorial program, each printing what the
 * Python original prints.
 *
 * <p>Every class has a {@code main} method and a {@code demo(PrintStream)} method that runs the
 * program on a new event loop, printing to the given stream, so that tests can read the output.
 * Each class's Javadoc shows the Python program it translates. Where Python writes
 * {@code await coroutine()}, Java calls the method: a task is a virtual thread, so a plain call
 * runs the coroutine in the current task exactly as Python's {@code await} does, and it may
 * suspend anywhere inside.
 */
package io.asyncio4j.examples.tour;
