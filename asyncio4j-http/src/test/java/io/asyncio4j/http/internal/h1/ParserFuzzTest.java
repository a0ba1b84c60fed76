package io.asyncio4j.http.internal.h1;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the request parser briefly, coverage-guided (Jazzer, libFuzzer), from seeds made of the
 * corpus's requests; the oracle is {@link ParserFuzzing#check}. Without {@code JAZZER_FUZZ} (an
 * IDE run) only the seeds and past findings run.
 */
class ParserFuzzTest {
    /** Tokens that steer the fuzzer into the framing rules (libFuzzer escapes: \x0D\x0A is CRLF). */
    @DictionaryEntries({"HTTP/1.1", "HTTP/1.0", "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "Host: ", "Content-Length: ",
        "Transfer-Encoding: ", "chunked", "Connection: ", "close", "keep-alive", "Expect: ", "100-continue",
        "Upgrade: ", ";ext=", "0\\x0D\\x0A\\x0D\\x0A", "GET ", "POST ", "OPTIONS * "})
    @FuzzTest(maxExecutions = 300_000)
    void parserOnlyParsesOrFailsWithAParseError(byte[] input) {
        ParserFuzzing.check(input);
    }
}
