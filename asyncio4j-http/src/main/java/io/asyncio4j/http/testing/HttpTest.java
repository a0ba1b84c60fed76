package io.asyncio4j.http.testing;

import io.asyncio4j.testing.AsyncioTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test method on the core's {@link AsyncioTest} loop (leak checks, real-time limit) that may
 * take a {@link TestClients} parameter: aiohttp's {@code aiohttp_client} fixture.
 *
 * {@snippet :
 * @HttpTest
 * void itemsAreListed(TestClients clients) throws Exception {
 *     TestClient client = clients.start(Api.app());
 *     assertEquals(200, client.get("/items").status());
 * }
 * }
 */
// JUnit comes from an optional module (requires static, not transitive): see AsyncioExtension.
@SuppressWarnings("exports")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@AsyncioTest
@ExtendWith(HttpTestExtension.class)
public @interface HttpTest {
}
