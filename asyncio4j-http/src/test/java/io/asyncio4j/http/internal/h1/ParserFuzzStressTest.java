package io.asyncio4j.http.internal.h1;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The long fuzzing run of the request parser (mvn -Pstress): ten million inputs. */
class ParserFuzzStressTest {
    @DictionaryEntries({"HTTP/1.1", "HTTP/1.0", "\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A", "Host: ", "Content-Length: ",
        "Transfer-Encoding: ", "chunked", "Connection: ", "close", "keep-alive", "Expect: ", "100-continue",
        "Upgrade: ", ";ext=", "0\\x0D\\x0A\\x0D\\x0A", "GET ", "POST ", "OPTIONS * "})
    @FuzzTest(maxExecutions = 10_000_000, maxDuration = "30m")
    void parserOnlyParsesOrFailsWithAParseError(byte[] input) {
        ParserFuzzing.check(input);
    }
}
