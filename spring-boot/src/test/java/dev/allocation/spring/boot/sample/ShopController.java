package dev.allocation.spring.boot.sample;

import dev.allocation.application.AllocationView;
import dev.allocation.application.InvalidSku;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.commands.Allocate;
import dev.allocation.domain.commands.CreateBatch;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's own API, on the AllocationService bean the starter configured; under {@code /shop}, next to
 * the book's API that the starter serves too ({@code allocation.web.enabled}).
 */
@RestController
@RequestMapping("/shop")
class ShopController {

    private final AllocationService allocation;

    ShopController(AllocationService allocation) {
        this.allocation = allocation;
    }

    record BatchRequest(String ref, String sku, int qty) {
    }

    record AllocateRequest(String orderid, String sku, int qty) {
    }

    @PostMapping("/batches")
    ResponseEntity<Void> addBatch(@RequestBody BatchRequest request) {
        allocation.handle(new CreateBatch(request.ref(), request.sku(), request.qty(), null));
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @PostMapping("/allocate")
    ResponseEntity<Map<String, String>> allocate(@RequestBody AllocateRequest request) {
        try {
            allocation.handle(new Allocate(request.orderid(), request.sku(), request.qty()));
        } catch (InvalidSku e) {
            return ResponseEntity.badRequest().body(Map.of("message", e.getMessage()));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("orderid", request.orderid()));
    }

    @GetMapping("/allocations/{orderId}")
    ResponseEntity<List<AllocationView>> allocations(@PathVariable String orderId) {
        List<AllocationView> views = allocation.allocations(orderId);
        return views.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(views);
    }
}
