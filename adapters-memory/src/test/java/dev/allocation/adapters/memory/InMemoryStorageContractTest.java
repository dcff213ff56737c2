package dev.allocation.adapters.memory;

import dev.allocation.application.port.Storage;
import dev.allocation.contracts.StorageContract;

class InMemoryStorageContractTest extends StorageContract {

    @Override
    protected Storage newStorage() {
        return new InMemoryStorage();
    }
}
