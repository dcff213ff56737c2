package dev.allocation.application;

/** A row of the read model: order line of {@code sku} is held by batch {@code batchRef}. */
public record AllocationView(String sku, String batchRef) {
}
