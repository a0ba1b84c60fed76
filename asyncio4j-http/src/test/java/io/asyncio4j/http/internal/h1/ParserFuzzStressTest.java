package io.asyncio4j.http.internal.h1;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The long fuzzing run of the request parser (mvn -Pstress), first half: five million inputs,
 * split evenly. {@link ParserUnevenFuzzStressTest}, the other half, runs in a JVM of its own at
 * the same time (Jazzer fuzzes one test per process): ten million inputs in all.
 */
class ParserFuzzStressTest {
    @DictionaryEntries({"HTTP/1.1", "HTTP/1.0", "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "Host: ", "Content-Length: ",
        "Transfer-Encoding: ", "chunked", "Connection: ", "close", "keep-alive", "Expect: ", "100-continue",
        "Upgrade: ", ";ext=", "0\\x0D\\x0A\\x0D\\x0A", "GET ", "POST ", "OPTIONS * "})
    @FuzzTest(maxExecutions = 5_000_000, maxDuration = "15m")
    void parserOnlyParsesOrFailsWithAParseError(byte[] input) {
        ParserFuzzing.check(input);
    }
}
