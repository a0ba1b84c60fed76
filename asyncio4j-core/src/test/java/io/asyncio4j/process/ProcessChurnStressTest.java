package io.asyncio4j.process;

import io.asyncio4j.testing.AsyncioTest;

/** The count: 2,000 children, 32 at a time, leave no descriptor and no zombie behind. */
class ProcessChurnStressTest {

    @AsyncioTest(timeoutSeconds = 240)
    void twoThousandChildrenSomeKilledSomeAbandonedLeaveNothingBehind() throws Exception {
        ProcessChurn.run(2_000, 32);
    }
}
