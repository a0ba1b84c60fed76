package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelloTest {

    @Test
    void mainPrintsTheResultOfTheAwaitedCoroutine() {
        Run run = Run.of(Hello::demo);

        assertEquals(List.of("hello"), run.lines());
        run.assertTookBetween(0, 2);
    }
}
