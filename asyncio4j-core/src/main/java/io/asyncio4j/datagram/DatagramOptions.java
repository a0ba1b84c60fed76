package io.asyncio4j.datagram;

/**
 * Options of {@link Datagrams#createDatagramEndpoint}; start from {@link #defaults()} and change
 * what you need.
 *
 * {@snippet :
 * var options = DatagramOptions.defaults().withAllowBroadcast(true);
 * }
 *
 * @apiNote asyncio dropped {@code reuse_address} for UDP (3.11) because with SO_REUSEADDR another
 *     process can bind the same port and receive its datagrams. It is offered here for the cases
 *     that need it (multicast receivers); prefer {@code reusePort}, which the kernel restricts to
 *     sockets of the same user.
 * @param reuseAddress whether to set SO_REUSEADDR (default false)
 * @param reusePort whether to set SO_REUSEPORT (default false; not on every platform)
 * @param allowBroadcast whether to set SO_BROADCAST, allowing sends to broadcast addresses
 *     (default false)
 */
public record DatagramOptions(boolean reuseAddress, boolean reusePort, boolean allowBroadcast) {

    /** {@return the defaults: no SO_REUSEADDR, no SO_REUSEPORT, no broadcast} */
    public static DatagramOptions defaults() {
        return new DatagramOptions(false, false, false);
    }

    /**
     * {@return these options with SO_REUSEADDR on or off}
     * @param on whether to set it
     */
    public DatagramOptions withReuseAddress(boolean on) {
        return new DatagramOptions(on, reusePort, allowBroadcast);
    }

    /**
     * {@return these options with SO_REUSEPORT on or off}
     * @param on whether to set it
     */
    public DatagramOptions withReusePort(boolean on) {
        return new DatagramOptions(reuseAddress, on, allowBroadcast);
    }

    /**
     * {@return these options with SO_BROADCAST on or off}
     * @param on whether to set it
     */
    public DatagramOptions withAllowBroadcast(boolean on) {
        return new DatagramOptions(reuseAddress, reusePort, on);
    }
}
