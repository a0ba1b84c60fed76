/** What {@code io.asyncio4j.observe} delegates to: snapshots, their text formats, JFR events. Not exported. */
package io.asyncio4j.internal.observe;
