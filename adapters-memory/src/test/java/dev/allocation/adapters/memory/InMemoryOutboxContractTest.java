package dev.allocation.adapters.memory;

import dev.allocation.contracts.OutboxContract;
import dev.allocation.contracts.Storage;

class InMemoryOutboxContractTest extends OutboxContract {

    @Override
    protected Storage newStorage() {
        InMemoryStorage storage = new InMemoryStorage();
        return new Storage(storage, storage.readModel(), storage.outbox());
    }
}
