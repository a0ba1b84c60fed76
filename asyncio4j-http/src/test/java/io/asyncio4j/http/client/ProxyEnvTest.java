package io.asyncio4j.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asyncio4j.http.Headers;
import io.asyncio4j.http.internal.client.NoProxy;
import io.asyncio4j.http.internal.client.ProxyEnv;
import io.asyncio4j.http.internal.client.ProxyRoute;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The proxy environment as aiohttp's {@code trust_env} reads it (Python's {@code getproxies} and
 * {@code proxy_bypass}, requests' CIDR rules): which variable wins, which hosts NO_PROXY sends
 * directly, and what a proxy URL may be.
 */
class ProxyEnvTest {

    private static URI proxyFor(Map<String, String> env, String url) {
        return ProxyEnv.from(env).proxyFor(URI.create(url));
    }

    @Test
    void eachSchemeTakesItsOwnVariableAndWebSocketsFallBackToTheirHttpTwin() {
        Map<String, String> env = Map.of("HTTP_PROXY", "http://plain:3128", "HTTPS_PROXY", "http://secure:3129");
        assertEquals(URI.create("http://plain:3128"), proxyFor(env, "http://example.com/"));
        assertEquals(URI.create("http://secure:3129"), proxyFor(env, "https://example.com/"));
        assertEquals(URI.create("http://plain:3128"), proxyFor(env, "ws://example.com/"));
        assertEquals(URI.create("http://secure:3129"), proxyFor(env, "wss://example.com/"));
        Map<String, String> own = Map.of("HTTPS_PROXY", "http://secure:3129", "WSS_PROXY", "http://ws:1");
        assertEquals(URI.create("http://ws:1"), proxyFor(own, "wss://example.com/"));
        assertNull(proxyFor(own, "http://example.com/"), "no HTTP_PROXY: plain requests go directly");
    }

    @Test
    void theLowerCaseVariableWinsAndAnEmptyOneUnsetsIt() {
        assertEquals(URI.create("http://lower:1"), proxyFor(Map.of("HTTP_PROXY", "http://upper:1",
                "http_proxy", "http://lower:1"), "http://example.com/"));
        assertNull(proxyFor(Map.of("HTTP_PROXY", "http://upper:1", "http_proxy", ""), "http://example.com/"));
        assertEquals(URI.create("http://mixed:1"), proxyFor(Map.of("Http_Proxy", "http://mixed:1"),
                "http://example.com/"), "a name in mixed case counts as upper case");
    }

    @Test
    void aCgiProgramIgnoresTheUpperCaseHttpProxyItsClientCouldHaveSet() {
        assertNull(proxyFor(Map.of("REQUEST_METHOD", "GET", "HTTP_PROXY", "http://evil:1"), "http://example.com/"));
        assertEquals(URI.create("http://good:1"), proxyFor(Map.of("REQUEST_METHOD", "GET", "http_proxy",
                "http://good:1"), "http://example.com/"));
    }

    @Test
    void aValueWithoutASchemeIsHttpAndAnHttpsProxyOrGarbageIsIgnored() {
        assertEquals(URI.create("http://proxy.local:3128"), proxyFor(Map.of("http_proxy", "proxy.local:3128"),
                "http://example.com/"));
        assertNull(proxyFor(Map.of("https_proxy", "https://tls-proxy:443"), "https://example.com/"));
        assertNull(proxyFor(Map.of("http_proxy", "http://bad host:1"), "http://example.com/"));
        assertNull(proxyFor(Map.of("ALL_PROXY", "http://all:1"), "http://example.com/"), "as aiohttp: not read");
    }

    @Test
    void noProxyNamesMatchThemselvesAndTheirSubdomainsOnly() {
        NoProxy n = NoProxy.parse("example.com, .internal.test,*.wild.test");
        assertTrue(n.matches("example.com", 80));
        assertTrue(n.matches("api.example.com", 443));
        assertTrue(n.matches("EXAMPLE.COM", 80), "case does not matter");
        assertFalse(n.matches("badexample.com", 80), "a suffix counts at a dot only");
        assertTrue(n.matches("internal.test", 80), "a leading dot is ignored");
        assertTrue(n.matches("a.b.internal.test", 80));
        assertTrue(n.matches("x.wild.test", 80), "*.name is .name");
        assertFalse(n.matches("other.test", 80));
    }

    @Test
    void noProxyEntriesWithAPortMatchThatPortOnly() {
        NoProxy n = NoProxy.parse("local.test:8080 [::1]:9000");
        assertTrue(n.matches("local.test", 8080));
        assertFalse(n.matches("local.test", 80));
        assertTrue(n.matches("[::1]", 9000));
        assertTrue(n.matches("::1", 9000));
        assertFalse(n.matches("::1", 9001));
    }

    @Test
    void noProxyAddressesAndNetworksMatchIpLiterals() {
        NoProxy n = NoProxy.parse("127.0.0.1,10.0.0.0/8,fd00::/8,::1,192.168.1.0/25");
        assertTrue(n.matches("127.0.0.1", 80));
        assertFalse(n.matches("127.0.0.2", 80));
        assertTrue(n.matches("10.20.30.40", 80));
        assertFalse(n.matches("11.0.0.1", 80));
        assertTrue(n.matches("fd12:3456::1", 443));
        assertTrue(n.matches("0:0:0:0:0:0:0:1", 80), "an address, however written");
        assertTrue(n.matches("192.168.1.127", 80));
        assertFalse(n.matches("192.168.1.128", 80), "a prefix that is not a whole byte");
        assertFalse(n.matches("localhost", 80), "a name is not resolved to match an address");
    }

    @Test
    void aStarSendsEveryHostDirectlyAndUnreadableEntriesAreIgnored() {
        assertTrue(NoProxy.parse("*").matches("anything.example", 1));
        assertTrue(NoProxy.parse(" * ").matches("anything.example", 1));
        NoProxy n = NoProxy.parse("host:notaport, 10.0.0.0/99, [::1, ,, ok.test");
        assertEquals(1, n.rules().size(), n.toString());
        assertTrue(n.matches("ok.test", 80));
        assertFalse(NoProxy.parse("").matches("x", 1));
    }

    @Test
    void noProxyInTheEnvironmentSendsItsHostsDirectly() {
        Map<String, String> env = Map.of("http_proxy", "http://proxy:3128", "https_proxy", "http://proxy:3128",
                "NO_PROXY", "localhost,.corp.example");
        assertNull(proxyFor(env, "http://localhost:8080/"));
        assertNull(proxyFor(env, "https://wiki.corp.example/"));
        assertEquals(URI.create("http://proxy:3128"), proxyFor(env, "https://example.com/"));
        assertNull(proxyFor(Map.of("http_proxy", "http://proxy:3128", "no_proxy", "*"), "http://example.com/"));
        assertEquals(URI.create("http://proxy:3128"), proxyFor(Map.of("http_proxy", "http://proxy:3128",
                "no_proxy", "", "NO_PROXY", "example.com"), "http://example.com/"),
                "an empty no_proxy unsets NO_PROXY as well");
    }

    @Test
    void aProxyUrlIsHttpWithAHostAndItsCredentialsNeverShowInAMessage() {
        InvalidUrlError e = assertThrows(InvalidUrlError.class,
                () -> ProxyRoute.check(URI.create("https://user:secret@proxy:443")));
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(InvalidUrlError.class, () -> ClientOptions.defaults().withProxy("socks5://proxy:1080"));
        assertThrows(InvalidUrlError.class, () -> RequestOptions.defaults().withProxy("http:///nohost"));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.defaults()
                .withUnixSocket(java.nio.file.Path.of("/tmp/x.sock")).withProxy("http://proxy:3128"));
    }

    @Test
    void credentialsComeFromTheUrlUnlessGivenAndAreHiddenInTheRoute() {
        ProxyRoute fromUrl = ProxyRoute.of(URI.create("http://us%40er:p%3Ass@Proxy.Example:3128/ignored"), null,
                Headers.of("X-Tag", "a"));
        assertEquals(new BasicAuth("us@er", "p:ss").encode(), fromUrl.authorization());
        assertEquals("proxy.example", fromUrl.host());
        assertEquals(3128, fromUrl.port());
        assertEquals(URI.create("http://proxy.example:3128"), fromUrl.url());
        assertFalse(fromUrl.toString().contains("p:ss"), fromUrl.toString());
        ProxyRoute given = ProxyRoute.of(URI.create("http://u:p@proxy"), new BasicAuth("other", "pw"), null);
        assertEquals(new BasicAuth("other", "pw").encode(), given.authorization());
        assertEquals(80, given.port(), "a proxy without a port is on 80");
        assertNull(ProxyRoute.of(URI.create("http://proxy:1"), null, null).authorization());
    }
}
