/** A program that uses asyncio4j as a user's project would: from the installed artifacts. */
module io.asyncio4j.consumer {
    requires io.asyncio4j;
    requires io.asyncio4j.http;
}
