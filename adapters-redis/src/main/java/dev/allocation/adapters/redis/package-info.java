/**
 * The Redis adapter: integration events through Redis pub/sub with Lettuce, as the reference
 * service's. {@link dev.allocation.adapters.redis.RedisBroker} connects;
 * {@link dev.allocation.adapters.redis.RedisEventPublisher} publishes every {@code Allocated} on
 * {@code line_allocated}; {@link dev.allocation.adapters.redis.RedisCommandConsumer} handles every
 * message on {@code change_batch_quantity} as a {@code ChangeBatchQuantity}.
 */
package dev.allocation.adapters.redis;
