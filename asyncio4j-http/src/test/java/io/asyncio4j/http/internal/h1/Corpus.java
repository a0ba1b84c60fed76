package io.asyncio4j.http.internal.h1;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The request corpus of {@code h1-request-corpus.txt}: raw requests with their verdicts. */
public final class Corpus {
    private Corpus() {
    }

    /**
     * One case.
     *
     * @param name its name
     * @param expect 0 for accept, else the status
     * @param raw the bytes
     * @param count the requests an accepted case holds
     * @param body the bodies, concatenated, or null when not checked
     * @param target the first target, or null when not checked
     * @param source the rule's source
     * @param node Node's deliberately different verdict (0 accept, -1 reject), or null
     * @param nodeWhy why it differs
     */
    public record Case(String name, int expect, byte[] raw, int count, byte[] body, String target, String source,
                       Integer node, String nodeWhy) {
        /** {@return whether the case is accepted} */
        public boolean accepted() {
            return expect == 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@return every case, in file order} */
    public static List<Case> load() {
        String text;
        try (InputStream in = Corpus.class.getResourceAsStream("/io/asyncio4j/http/h1-request-corpus.txt")) {
            text = new String(in.readAllBytes(), ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String block : text.split("\n\\s*\n")) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String line : block.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("corpus: a line without ':': " + line);
                }
                String key = line.substring(0, colon);
                String value = line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (f.put(key, value) != null) {
                    throw new IllegalArgumentException("corpus: a key twice in one case: " + key + " in " + block);
                }
            }
            if (f.isEmpty()) {
                continue;
            }
            String name = require(f, "name");
            if (!names.add(name)) {
                throw new IllegalArgumentException("corpus: a duplicate name: " + name);
            }
            String expect = require(f, "expect");
            Integer node = null;
            String nodeWhy = null;
            if (f.containsKey("node")) {
                String n = f.get("node");
                int dash = n.indexOf(" - ");
                String verdict = dash < 0 ? n : n.substring(0, dash);
                node = switch (verdict) {
                    case "accept" -> 0;
                    case "reject" -> -1;
                    default -> throw new IllegalArgumentException("corpus: node must be accept or reject: " + n);
                };
                nodeWhy = dash < 0 ? "" : n.substring(dash + 3);
            }
            cases.add(new Case(name, expect.equals("accept") ? 0 : Integer.parseInt(expect),
                    unescape(require(f, "raw")), Integer.parseInt(f.getOrDefault("count", "1")),
                    f.containsKey("body") ? unescape(f.get("body")) : null, f.get("target"),
                    f.getOrDefault("source", ""), node, nodeWhy));
        }
        return cases;
    }

    private static String require(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null) {
            throw new IllegalArgumentException("corpus: a case without " + key + ": " + f);
        }
        return v;
    }

    /** Decodes \r \n \t \0 \\ \xHH and {repeat:N:TEXT}. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("{repeat:", i)) {
                int colon = s.indexOf(':', i + 8);
                int close = matchingBrace(s, i);
                int n = Integer.parseInt(s.substring(i + 8, colon));
                byte[] unit = unescape(s.substring(colon + 1, close));
                for (int k = 0; k < n; k++) {
                    out.writeBytes(unit);
                }
                i = close + 1;
            } else if (c == '\\') {
                char e = s.charAt(i + 1);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '0' -> out.write(0);
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("corpus: unknown escape \\" + e);
                }
                i += 2;
            } else {
                if (c > 0xff) {
                    throw new IllegalArgumentException("corpus: a character above 0xff: " + c);
                }
                out.write(c);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("corpus: an unclosed {repeat: in " + s);
    }
}
