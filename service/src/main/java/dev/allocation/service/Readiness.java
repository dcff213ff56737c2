package dev.allocation.service;

import dev.allocation.adapters.redis.RedisBroker;
import dev.allocation.application.AllocationUseCases;
import dev.allocation.application.AllocationView;
import dev.allocation.domain.Message;
import java.util.List;

/**
 * The use cases as the HTTP API serves them, ready only when everything the service was told to use
 * answers: the storage, and Redis when configured. What {@code /health} and {@code /health/ready} say.
 */
final class Readiness implements AllocationUseCases {

    private final AllocationUseCases service;
    private final RedisBroker redis;   // null: none configured

    Readiness(AllocationUseCases service, RedisBroker redis) {
        this.service = service;
        this.redis = redis;
    }

    @Override
    public void handle(Message message) {
        service.handle(message);
    }

    @Override
    public List<AllocationView> allocations(String orderId) {
        return service.allocations(orderId);
    }

    @Override
    public boolean isHealthy() {
        return service.isHealthy() && (redis == null || redis.isHealthy());
    }
}
