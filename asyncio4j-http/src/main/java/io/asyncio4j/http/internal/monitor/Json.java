package io.asyncio4j.http.internal.monitor;

/** The one JSON piece the monitor writes by hand: a string literal (RFC 8259 section 7). */
final class Json {
    private Json() {
    }

    /**
     * Quotes a string as a JSON string literal.
     *
     * @param s the string, {@code null} for JSON null
     * @return the literal
     */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // controls, and < > & so that the text is safe inside any HTML context too
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
