package io.asyncio4j.http.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The test kit's JUnit 5 extension: injects {@link TestClients} into a test method that runs on
 * the core's {@code @AsyncioTest} loop, and closes every client and application it started once
 * the method returns, inside the loop and before the core's leak checks (so a test that forgot
 * to close them does not fail for it, while a connection of its own still would). Use it through
 * {@link HttpTest}, or register it after {@code @AsyncioTest} on the method, so that it runs inside
 * the loop.
 */
// JUnit's types in this signature come from an optional module (requires static, not transitive):
// a transitive edge would make every module that reads asyncio4j need JUnit to compile.
@SuppressWarnings("exports")
public final class HttpTestExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HttpTestExtension.class);

    /** Makes the extension (JUnit does). */
    public HttpTestExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        return p.getParameter().getType() == TestClients.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(TestClients.class, k -> new TestClients(), TestClients.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        try {
            io.asyncio4j.Asyncio.getRunningLoop();
        } catch (IllegalStateException e) {
            invocation.skip();
            throw new IllegalStateException("HttpTestExtension must run inside the test's loop: annotate the method "
                    + "with @HttpTest, or put @ExtendWith(HttpTestExtension.class) after @AsyncioTest on the method");
        }
        try {
            invocation.proceed();
        } finally {
            TestClients clients = context.getStore(NS).get(TestClients.class, TestClients.class);
            if (clients != null) {
                clients.closeAll();
            }
        }
    }
}
