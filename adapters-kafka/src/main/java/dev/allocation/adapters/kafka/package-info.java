/**
 * The Kafka adapter: the service's integration events and commands through Apache Kafka, with
 * {@code kafka-clients}. {@link dev.allocation.adapters.kafka.KafkaBroker} connects and hands out the
 * publisher and the consumer.
 */
package dev.allocation.adapters.kafka;
