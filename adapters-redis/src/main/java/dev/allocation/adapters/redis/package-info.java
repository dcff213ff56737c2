/**
 * The Redis adapter: the reference service's integration events through Redis pub/sub, with Lettuce.
 * {@link dev.allocation.adapters.redis.RedisBroker} connects and hands out the publisher and consumers.
 */
package dev.allocation.adapters.redis;
