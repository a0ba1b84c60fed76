package io.asyncio4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PythonReprTest {

    @Test
    void stringsAreQuotedAsPythonQuotesThem() {
        assertEquals("'Hello World!'", PythonRepr.of("Hello World!"));
        assertEquals("\"don't\"", PythonRepr.of("don't"));
        assertEquals("'say \"don\\'t\"'", PythonRepr.of("say \"don't\""));
        assertEquals("'a\\\\b\\n\\r\\t\\x00\\x7f'", PythonRepr.of("a\\b\n\r\t\u0000\u007f"));
        assertEquals("'caf\u00e9'", PythonRepr.of("caf\u00e9"));
    }

    @Test
    void socketAddressesPrintAsPythonTuples() throws Exception {
        assertEquals("('127.0.0.1', 8888)",
                PythonRepr.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8888)));
        assertEquals("('0:0:0:0:0:0:0:1', 8888, 0, 0)",
                PythonRepr.of(new InetSocketAddress(InetAddress.getByName("::1"), 8888)));
    }
}
