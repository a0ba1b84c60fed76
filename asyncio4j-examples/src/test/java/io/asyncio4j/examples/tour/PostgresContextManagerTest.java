package io.asyncio4j.examples.tour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncio4j.sql.testing.PostgresServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresContextManagerTest {

    @Test
    void aRealConnectionOpensQueriesAndClosesWithTheToursLines() {
        assumeTrue(PostgresServer.findInstallation().isPresent(),
                "PostgreSQL is not installed (apt-get install postgresql; CI installs it)");
        try (PostgresServer pg = PostgresServer.start()) {
            Run run = Run.of(out -> PostgresContextManager.demo(out, pg.jdbcUrl(), pg.user()));
            assertEquals(List.of(
                    "Connecting...",
                    "Executing: SELECT * FROM users",
                    "Results for: SELECT * FROM users",
                    "  <Row id=1 name='ada'>",
                    "  <Row id=2 name='grace'>",
                    "Closing connection..."), run.lines());
        }
    }
}
