package io.asyncio4j;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.generator;
import static io.asyncio4j.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import java.time.Duration;

/** Async generators: backpressure, aclose() semantics, errors and cancellation. */
class AsyncGeneratorTest {

    @Test
    void aForEachLoopReceivesEveryValueInOrder() {
        List<Integer> seen = AsyncTesting.runVirtual(() -> {
            List<Integer> out = new ArrayList<>();
            try (AsyncGenerator<Integer> g = generator(e -> {
                for (int i = 0; i < 5; i++) {
                    sleep(Duration.ofMillis(1));
                    e.emit(i);
                }
            })) {
                for (int v : g) {
                    out.add(v);
                }
            }
            return out;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void theProducerRunsOnlyWhenTheConsumerAsksForTheNextValue() {
        List<String> events = AsyncTesting.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            try (AsyncGenerator<Integer> g = generator(e -> {
                for (int i = 0; i < 3; i++) {
                    log.add("produce " + i);
                    e.emit(i);
                }
                log.add("producer done");
            })) {
                log.add("created");
                for (int v : g) {
                    log.add("consume " + v);
                    sleep(Duration.ofMillis(2)); // the producer must not run ahead meanwhile
                }
            }
            return log;
        });
        assertEquals(List.of("created", "produce 0", "consume 0", "produce 1", "consume 1", "produce 2",
                "consume 2", "producer done"), events);
    }

    @Test
    void breakingOutOfTheLoopClosesTheGeneratorAndRunsTheProducersFinally() {
        List<String> events = AsyncTesting.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            try (AsyncGenerator<Integer> g = generator(e -> {
                try {
                    for (int i = 0; ; i++) {
                        e.emit(i);
                    }
                } finally {
                    log.add("finally");
                    sleep(Duration.ofMillis(1)); // cleanup may suspend: close() waits for it
                    log.add("cleaned up");
                }
            })) {
                for (int v : g) {
                    if (v == 2) {
                        break;
                    }
                }
                log.add("broke out");
            }
            log.add("closed");
            return log;
        });
        assertEquals(List.of("broke out", "finally", "cleaned up", "closed"), events);
    }

    @Test
    void closingAGeneratorThatNeverStartedNeverRunsItsBody() {
        AsyncTesting.runVirtual(() -> {
            boolean[] ran = {false};
            AsyncGenerator<Integer> g = generator(e -> {
                ran[0] = true;
                e.emit(1);
            });
            g.close();
            assertFalse(g.hasNext());
            assertFalse(ran[0]);
        });
    }

    @Test
    void whatTheProducerThrowsTheConsumerThrowsAsIs() {
        AsyncTesting.runVirtual(() -> {
            IOException boom = new IOException("boom");
            try (AsyncGenerator<Integer> g = generator(e -> {
                e.emit(1);
                throw boom;
            })) {
                assertEquals(1, g.next());
                Exception thrown = assertThrows(Exception.class, g::hasNext);
                assertSame(boom, thrown);
                assertFalse(g.hasNext());
                assertThrows(NoSuchElementException.class, g::next);
            }
        });
    }

    @Test
    void cancellingTheConsumerWhileItWaitsCancelsTheProducer() {
        List<String> events = AsyncTesting.runVirtual(() -> {
            List<String> log = new ArrayList<>();
            Task<Void> consumer = createTask(() -> {
                try (AsyncGenerator<Integer> g = generator(e -> {
                    try {
                        sleep(Duration.ofMillis(10_000));
                        e.emit(1);
                    } catch (CancelledError c) {
                        log.add("producer cancelled");
                        throw c;
                    }
                })) {
                    g.hasNext();
                    log.add("unreachable");
                }
            });
            sleep(Duration.ofMillis(5));
            consumer.cancel();
            assertThrows(CancelledError.class, () -> await(consumer));
            return log;
        });
        assertEquals(List.of("producer cancelled"), events);
    }

    @Test
    void aProducerThatEmitsWhileBeingClosedMakesCloseFail() {
        AsyncTesting.runVirtual(() -> {
            AsyncGenerator<Integer> g = generator(e -> {
                try {
                    e.emit(1);
                } catch (GeneratorExit ignored) {
                    e.emit(2);
                }
            });
            assertTrue(g.hasNext());
            IllegalStateException e = assertThrows(IllegalStateException.class, g::close);
            assertTrue(e.getMessage().contains("ignored GeneratorExit"));
        });
    }

    @Test
    void anOpenGeneratorIsClosedWhenRunShutsDown() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            AsyncGenerator<Integer> g = generator(e -> {
                try {
                    e.emit(1);
                    e.emit(2);
                } finally {
                    log.add("closed by shutdown");
                }
            });
            g.next();
        });
        assertEquals(List.of("closed by shutdown"), log);
    }

    @Test
    @SuppressWarnings("unchecked")
    void emitOutsideTheGeneratorsBodyIsRejectedAndAGeneratorIteratesOnce() {
        AsyncTesting.runVirtual(() -> {
            try (AsyncGenerator<Integer> g = generator(e -> e.emit(1))) {
                AsyncGenerator.Emitter<Integer> emitter = (AsyncGenerator.Emitter<Integer>) g;
                assertThrows(IllegalStateException.class, () -> emitter.emit(5));
                g.iterator();
                assertThrows(IllegalStateException.class, g::iterator);
            }
        });
    }
}
