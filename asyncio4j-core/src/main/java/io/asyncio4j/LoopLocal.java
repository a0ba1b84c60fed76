package io.asyncio4j;

import io.asyncio4j.internal.group.LoopGroupImpl;
import io.asyncio4j.internal.group.Waiting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.IntFunction;

/*
 * Implementation overview
 *
 * One slot per loop of the group. Slot i is read and written only on loop i's thread (its tasks
 * and callbacks), so it needs no lock and no fence: the loop's own ordering is the only one that
 * matters. map() does not read a slot from the calling thread: it sends a callback to each loop,
 * which reads its slot there and hands the reading back through a CompletableFuture (that
 * hand-off is the only synchronisation, and it publishes the reading, not the live value).
 */

/**
 * A value per loop of a {@link LoopGroup}, for state each loop keeps to itself without locks:
 * counters, caches, pools, buffers. Each loop sees its own value, made on its own thread by the
 * initial function the first time that loop asks; a reading across the group ({@link #map},
 * {@link #mapReduce}) runs the reader on each loop's thread, in turn of arrival, and gathers the
 * readings. This is Seastar's {@code sharded<T>}, or a {@code ThreadLocal} for loops.
 *
 * {@snippet :
 * LoopLocal<long[]> hits = LoopLocal.of(group, i -> new long[1]);
 * // in any task or callback of the group's loops: no lock, no atomic
 * hits.get()[0]++;
 * // anywhere, on demand: each loop reads its own counter
 * long total = hits.mapReduce(h -> h[0], 0L, Long::sum);
 * }
 *
 * <p>A value must not escape to other loops' tasks: hand copies or readings across instead
 * (what {@code map} returns is the reader's result, read on the owning loop).
 *
 * @param <T> the value type
 */
public final class LoopLocal<T> {
    private static final Object UNSET = new Object();

    private final LoopGroupImpl group;
    private final IntFunction<? extends T> initial;
    private final Object[] values;

    private LoopLocal(LoopGroupImpl group, IntFunction<? extends T> initial) {
        this.group = group;
        this.initial = initial;
        this.values = new Object[group.size()];
        java.util.Arrays.fill(values, UNSET);
    }

    /**
     * Creates a value per loop of a group. Never suspends.
     *
     * @param <T> the value type
     * @param group the group
     * @param initial makes the value of the loop whose index it is given, on that loop's thread,
     *     the first time that loop reads it
     * @return the loop-local value
     * @throws IllegalArgumentException if the group is not one of the runtime's
     */
    public static <T> LoopLocal<T> of(LoopGroup group, IntFunction<? extends T> initial) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(initial, "initial");
        return new LoopLocal<>(LoopGroupImpl.of(group), initial);
    }

    /**
     * Returns the running loop's value, made by the initial function if the loop had none yet.
     * Never suspends.
     *
     * @return the value
     * @throws IllegalStateException if the caller does not run on a loop of the group
     */
    public T get() {
        return slot(index("get"));
    }

    /**
     * Replaces the running loop's value; the other loops' values stay. Never suspends.
     *
     * @param value the value
     * @throws IllegalStateException if the caller does not run on a loop of the group
     */
    public void set(T value) {
        values[index("set")] = value;
    }

    /**
     * Reads every loop's value on that loop's thread and returns the readings in loop order. Each
     * reading is taken on its own loop between two of that loop's steps, so it sees a consistent
     * value; the readings are not one instant across the group. Waits (see {@link LoopGroup}).
     *
     * @param <R> the reading's type
     * @param read reads a value (runs on the value's loop; it must not suspend)
     * @return the readings, in loop order
     * @throws IllegalStateException if called from a callback on a loop's thread, or the group
     *     is closed
     */
    public <R> List<R> map(Function<? super T, ? extends R> read) {
        Objects.requireNonNull(read, "read");
        Waiting.checkCanWait("LoopLocal.map");
        List<CompletableFuture<R>> readings = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            int index = i;
            CompletableFuture<R> f = new CompletableFuture<>();
            readings.add(f);
            try {
                group.loop(i).callSoonThreadsafe(() -> {
                    try {
                        f.complete(read.apply(slot(index)));
                    } catch (Throwable e) {
                        f.completeExceptionally(e);
                    }
                });
            } catch (IllegalStateException closed) {
                throw new IllegalStateException("the loop group is closed", closed);
            }
        }
        List<R> out = new ArrayList<>(values.length);
        for (CompletableFuture<R> f : readings) {
            out.add(Waiting.await(f, "LoopLocal.map"));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Reads every loop's value on that loop's thread and combines the readings in loop order:
     * the aggregate of a per-loop counter, say. Waits (see {@link LoopGroup}).
     *
     * @param <R> the reading's type
     * @param read reads a value (runs on the value's loop; it must not suspend)
     * @param identity the result for no readings, and the start of the combination
     * @param combine combines the result so far with the next reading
     * @return the combined readings
     */
    public <R> R mapReduce(Function<? super T, ? extends R> read, R identity, BinaryOperator<R> combine) {
        Objects.requireNonNull(combine, "combine");
        R result = identity;
        for (R r : map(read)) {
            result = combine.apply(result, r);
        }
        return result;
    }

    private int index(String what) {
        int i = group.currentIndex();
        if (i < 0) {
            throw new IllegalStateException("LoopLocal." + what + "() runs on a loop of its group (in a task or a "
                    + "callback of " + group + "), not on " + Thread.currentThread());
        }
        return i;
    }

    @SuppressWarnings("unchecked")
    private T slot(int i) {
        Object v = values[i];
        if (v == UNSET) {
            v = initial.apply(i);
            values[i] = v;
        }
        return (T) v;
    }

    @Override
    public String toString() {
        return "<LoopLocal of " + group + ">";
    }
}
