package dev.allocation.adapters.memory;

import dev.allocation.contracts.Storage;
import dev.allocation.contracts.StorageContract;

class InMemoryStorageContractTest extends StorageContract {

    @Override
    protected Storage newStorage() {
        InMemoryStorage storage = new InMemoryStorage();
        return new Storage(storage, storage.readModel(), storage.outbox());
    }
}
