package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrawlerTest {

    @Test
    void fourPagesFetchedConcurrentlyTakeAboutAsLongAsTheSlowestNotTheSum() {
        Run run = Run.of(Crawler::demo);

        // Each status line prints when its page arrives: fastest (0.2 s) first, slowest (1 s) last.
        assertEquals(List.of(
                "http://127.0.0.1:PORT/page/1: HTTP/1.1 200 OK",
                "http://127.0.0.1:PORT/page/4: HTTP/1.1 200 OK",
                "http://127.0.0.1:PORT/page/2: HTTP/1.1 200 OK",
                "http://127.0.0.1:PORT/page/3: HTTP/1.1 200 OK",
                "Fetched 4 pages in N.NN sec",
                "Slowest page: N.NN sec",
                "All pages one after another: N.NN sec"), run.linesWithoutTimesAndPorts());
        assertEquals("Slowest page: 1.00 sec", run.lines().get(5));
        assertEquals("All pages one after another: 2.00 sec", run.lines().get(6));
        Run.assertBetween(0.99, run.printedSeconds(4), 1.8, "the four fetches");
        run.assertTookBetween(0.99, 3.0);
    }
}
