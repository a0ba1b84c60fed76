package io.asyncio4j.examples;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats values as Python's {@code repr} does, so that the examples print what asyncio's do. */
final class PythonRepr {
    private PythonRepr() {
    }

    /**
     * {@return the string as Python's {@code repr} shows it: in single quotes, or in double quotes
     * if it holds a single quote and no double one, with backslashes and control characters escaped}
     */
    static String of(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(text.length() + 2).append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(quote).toString();
    }

    /**
     * {@return the address as Python shows a socket's name: {@code ('127.0.0.1', 8888)} for IPv4,
     * {@code ('0:0:0:0:0:0:0:1', 8888, 0, 0)} for IPv6 (the address as Java writes it), else the
     * address's own text}
     */
    static String of(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(address);
        }
        if (inet.getAddress() instanceof Inet6Address v6) {
            String host = v6.getHostAddress();
            int percent = host.indexOf('%');
            return "('" + (percent < 0 ? host : host.substring(0, percent)) + "', " + inet.getPort() + ", 0, "
                    + v6.getScopeId() + ")";
        }
        return "('" + inet.getAddress().getHostAddress() + "', " + inet.getPort() + ")";
    }
}
