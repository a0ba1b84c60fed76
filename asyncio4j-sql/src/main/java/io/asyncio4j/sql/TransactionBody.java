package io.asyncio4j.sql;

/**
 * The body of {@link Queries#transaction(TransactionBody)}: committed when it returns, rolled
 * back when it throws.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TransactionBody<T> {

    /**
     * Runs the body in the transaction.
     *
     * @param tx the open transaction
     * @return the body's result
     * @throws Exception whatever the body throws; the transaction is then rolled back
     */
    T run(Transaction tx) throws Exception;
}
