package io.asyncio4j.internal.task;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Future;
import io.asyncio4j.GeneratorExit;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import io.asyncio4j.internal.Sneaky;
import io.asyncio4j.internal.loop.EventLoopImpl;
import io.asyncio4j.internal.ops.Await;

/*
 * Implementation overview
 *
 * The producer is a task of its own, started at the consumer's first request; the two meet in a
 * rendezvous. hasNext() wakes the producer (parked in emit, or not yet started) and parks the
 * consumer; emit(v) stores v, wakes the consumer and parks the producer until the next request,
 * so the producer never runs ahead. The producer's end (return, exception, cancellation) is its
 * task's done callback: it records the outcome and wakes whoever waits. close() marks the
 * generator closing and wakes a producer parked in emit, which then throws GeneratorExit, and
 * waits for the producer task. Loop thread only.
 */

/**
 * The one implementation of {@link AsyncGenerator}.
 *
 * @param <T> the value type
 */
public final class AsyncGeneratorImpl<T> implements AsyncGenerator<T>, AsyncGenerator.Emitter<T>,
        Consumer<Future<?>> {
    /** The consumer is cancelled while it waits for a value: the producer is cancelled with it. */
    private final Waitable consumerWait = (task, message) -> {
        cancelProducer(message);
        task.wakeCancelled(message);
        return true;
    };

    private final EventLoopImpl loop;
    private final Body<T> body;
    private TaskImpl<Void> producer;
    private TaskImpl<?> consumer;
    private boolean producerParked;
    private T value;
    private boolean hasValue;
    private boolean finished;
    private Throwable failure;
    private boolean closing;
    private boolean ignoredExit;
    private boolean iterated;

    private AsyncGeneratorImpl(EventLoopImpl loop, Body<T> body) {
        this.loop = loop;
        this.body = body;
    }

    /**
     * Creates a generator on the running loop; its producer starts at the first request.
     *
     * @param <T> the value type
     * @param body the producer
     * @return the generator
     */
    public static <T> AsyncGenerator<T> create(Body<T> body) {
        if (body == null) {
            throw new NullPointerException("body");
        }
        return new AsyncGeneratorImpl<>(EventLoopImpl.running(), body);
    }

    // ------------------------------------------------------------------ consumer

    @Override
    public Iterator<T> iterator() {
        if (iterated) {
            throw new IllegalStateException("an async generator can be iterated once");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        while (!hasValue) {
            if (finished) {
                Throwable f = failure;
                if (f != null) {
                    failure = null;
                    throw Sneaky.rethrow(f);
                }
                return false;
            }
            if (closing) {
                return false;
            }
            TaskImpl<?> t = TaskImpl.currentOrThrow("AsyncGenerator iteration");
            if (t.loop() != loop) {
                throw new IllegalStateException(this + " belongs to a different event loop");
            }
            if (consumer != null) {
                throw new IllegalStateException("another task is already waiting for this generator's next value");
            }
            if (t == producer) {
                throw new IllegalStateException("a generator cannot iterate itself");
            }
            t.checkpointBeforeSuspend();
            request();
            consumer = t;
            try {
                t.park(consumerWait);
            } finally {
                consumer = null;
            }
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the async generator has ended");
        }
        T v = value;
        value = null;
        hasValue = false;
        return v;
    }

    /** Lets the producer run to its next value: starts it, or wakes it from emit. */
    private void request() {
        if (producer == null) {
            TaskRegistry tasks = loop.tasks();
            producer = tasks.newTask(null, (io.asyncio4j.ThrowingRunnable) this::produce);
            producer.addCallback(this);
            tasks.generatorStarted(this);
            tasks.start(producer, false);
        } else if (producerParked && producer.isParked()) {
            producer.wake();
        }
    }

    private void produce() throws Exception {
        try {
            body.run(this);
        } catch (GeneratorExit e) {
            if (!closing) {
                throw e;
            }
        }
    }

    private void cancelProducer(String message) {
        if (producer != null && !producer.isDone()) {
            producer.cancel(message);
        }
    }

    /** The producer ended. */
    @Override
    public void accept(Future<?> f) {
        finished = true;
        loop.tasks().generatorEnded(this);
        Throwable error = producer.takeFailure();
        if (error != null && !closing) {
            failure = error;
        }
        TaskImpl<?> c = consumer;
        if (c != null && c.isParked()) {
            c.wake();
        }
    }

    // ------------------------------------------------------------------ producer

    @Override
    public void emit(T v) {
        TaskImpl<?> t = TaskImpl.current();
        if (t == null || t != producer) {
            throw new IllegalStateException("emit() must be called by the generator's own body");
        }
        if (closing) {
            ignoredExit = true;
            throw new GeneratorExit();
        }
        value = v;
        hasValue = true;
        TaskImpl<?> c = consumer;
        if (c != null && c.isParked()) {
            c.wake();
        }
        producerParked = true;
        try {
            t.park(Waitable.WAKE_ON_CANCEL); // its cancellation interrupts the emit
        } finally {
            producerParked = false;
        }
        if (closing) {
            throw new GeneratorExit();
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        value = null;
        hasValue = false;
        if (producer == null) {
            finished = true; // never started: the body never runs
            return;
        }
        if (finished) {
            return;
        }
        if (producerParked && producer.isParked()) {
            producer.wake();
        }
        Await.await(producer);
        Throwable error = producer.takeFailure();
        if (error != null) {
            throw Sneaky.rethrow(error);
        }
        if (ignoredExit) {
            throw new IllegalStateException("async generator ignored GeneratorExit: its body emitted a value "
                    + "while being closed");
        }
    }

    /** Closes the generator from the loop's shutdown, as asyncio's shutdown_asyncgens() does. */
    void closeAtShutdown() {
        try {
            close();
        } catch (Throwable e) {
            loop.callExceptionHandler(io.asyncio4j.ExceptionContext.of(
                    "an error occurred during closing of asynchronous generator " + this, e));
        }
    }

    @Override
    public String toString() {
        return "<AsyncGenerator " + (finished ? "finished" : closing ? "closing" : producer == null ? "created"
                : "running") + ">";
    }
}
