package io.asyncio4j.observe;

import static io.asyncio4j.Asyncio.await;
import static io.asyncio4j.Asyncio.createTask;
import static io.asyncio4j.Asyncio.gather;
import static io.asyncio4j.Asyncio.sleep;

import io.asyncio4j.Asyncio;
import io.asyncio4j.sync.Event;
import io.asyncio4j.sync.Lock;
import java.time.Duration;

/**
 * A program for {@link PsFromOutsideTest} to look into: with {@code loop}, a crawler awaiting a
 * gather of a sleeping fetch and a fetch waiting on a lock that a holder keeps while it waits
 * for an event; with {@code none}, a JVM that opens no loop. Prints {@code ready}, then lives
 * for 30 s at most.
 */
public final class PsTargetMain {
    private PsTargetMain() {
    }

    /**
     * Runs the program.
     *
     * @param args {@code loop} or {@code none}
     * @throws Exception if it fails
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("none")) {
            System.out.println("ready");
            Thread.sleep(30_000);
            return;
        }
        Asyncio.run(() -> {
            Lock lock = new Lock();
            Event never = new Event();
            createTask("holder", () -> {
                try (var held = lock.acquire()) {
                    never.waitUntilSet();
                }
            });
            sleep(Duration.ZERO); // the holder takes the lock first
            createTask("crawler", () -> await(gather(
                    createTask("fetch-sleeping", () -> sleep(Duration.ofSeconds(30))),
                    createTask("fetch-locked", () -> {
                        try (var held = lock.acquire()) {
                            return null;
                        }
                    }))));
            sleep(Duration.ZERO);
            System.out.println("ready");
            sleep(Duration.ofSeconds(30));
        });
    }
}
