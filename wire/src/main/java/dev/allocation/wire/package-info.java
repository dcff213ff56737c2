/**
 * The published language of the allocation service: the JSON of the integration events it sends
 * ({@link dev.allocation.wire.EventJson}), of the messages it receives
 * ({@link dev.allocation.wire.ChangeBatchQuantityMessage}, {@link dev.allocation.wire.RequestBodies}), and
 * the versioned text in which the outbox keeps its events ({@link dev.allocation.wire.EventEnvelope}). Every edge that speaks to
 * another system writes and reads through here, so that the service says one thing one way. Not an
 * adapter: it knows the domain and Jackson, and no technology that carries the bytes.
 */
package dev.allocation.wire;
