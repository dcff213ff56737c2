package dev.allocation.adapters.memory;

import dev.allocation.application.port.Storage;
import dev.allocation.contracts.OutboxContract;

class InMemoryOutboxContractTest extends OutboxContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage();
    }
}
