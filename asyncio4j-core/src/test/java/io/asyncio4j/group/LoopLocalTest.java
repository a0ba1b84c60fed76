package io.asyncio4j.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.Asyncio;
import io.asyncio4j.LoopGroup;
import io.asyncio4j.LoopLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LoopLocal: a value per loop, made on its loop, read across the group on demand. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopLocalTest {

    /** A counter per loop: plain fields, no lock, no atomic. */
    static final class Hits {
        final int madeOn = currentIndex();
        long count;
    }

    private static LoopGroup current;

    private static int currentIndex() {
        return current.indexOf(Asyncio.getRunningLoop());
    }

    @Test
    void aCounterPerLoopCountsWithoutLocksAndAddsUpOnDemand() throws Exception {
        try (LoopGroup group = LoopGroup.open(2)) {
            current = group;
            LoopLocal<Hits> hits = LoopLocal.of(group, i -> new Hits());
            int perLoop = 20_000;
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                int loop = t % 2;
                work.add(group.submit(loop, () -> {
                    for (int k = 0; k < perLoop / 20; k++) {
                        hits.get().count++;
                        if (k % 100 == 0) {
                            Asyncio.sleep(java.time.Duration.ZERO); // interleave the loop's tasks
                        }
                    }
                }));
            }
            CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            // on demand, from a thread that runs no loop: each loop reads its own
            assertEquals(List.of((long) perLoop, (long) perLoop), hits.map(h -> h.count));
            assertEquals(2L * perLoop, hits.mapReduce(h -> h.count, 0L, Long::sum));
            // from a task of one of the loops too (it suspends while the other loop answers)
            assertEquals(2L * perLoop, group.submit(1, () -> hits.mapReduce(h -> h.count, 0L, Long::sum))
                    .get(5, TimeUnit.SECONDS));
            assertEquals(List.of(0, 1), hits.map(h -> h.madeOn), "each value made on its own loop");
        }
    }

    @Test
    void eachLoopSeesItsOwnValueAndSetReplacesOnlyItsOwn() throws Exception {
        try (LoopGroup group = LoopGroup.open(3)) {
            LoopLocal<String> name = LoopLocal.of(group, i -> "initial-" + i);
            assertEquals(List.of("initial-0", "initial-1", "initial-2"), group.call(i -> name.get()));
            group.submit(1, () -> name.set("replaced")).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("initial-0", "replaced", "initial-2"), name.map(v -> v));
        }
    }

    @Test
    void getOffTheGroupsLoopsFailsClearly() throws Exception {
        try (LoopGroup group = LoopGroup.open(1); LoopGroup other = LoopGroup.open(1)) {
            LoopLocal<int[]> local = LoopLocal.of(group, i -> new int[1]);
            IllegalStateException e = assertThrows(IllegalStateException.class, local::get);
            assertTrue(e.getMessage().contains("runs on a loop of its group"), e.getMessage());
            Asyncio.run(() -> assertThrows(IllegalStateException.class, local::get));
            var failed = other.submit(0, () -> local.get()).handle((v, x) -> x).get(5, TimeUnit.SECONDS);
            assertTrue(failed instanceof IllegalStateException, String.valueOf(failed));
        }
    }

    @Test
    void aReaderThatFailsFailsTheReading() {
        try (LoopGroup group = LoopGroup.open(2)) {
            LoopLocal<int[]> local = LoopLocal.of(group, i -> new int[] {i});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> local.map(v -> {
                if (v[0] == 1) {
                    throw new IllegalArgumentException("bad reading");
                }
                return v[0];
            }));
            assertEquals("bad reading", e.getMessage());
        }
    }

    @Test
    void readingAClosedGroupFails() {
        LoopGroup group = LoopGroup.open(1);
        LoopLocal<int[]> local = LoopLocal.of(group, i -> new int[1]);
        group.close();
        assertThrows(IllegalStateException.class, () -> local.map(v -> v[0]));
    }
}
