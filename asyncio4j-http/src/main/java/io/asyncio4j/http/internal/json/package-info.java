/** The default JSON codec, over jackson-jr. Not exported. */
package io.asyncio4j.http.internal.json;
