package dev.allocation.spring.boot;

import dev.allocation.application.AllocationView;
import dev.allocation.application.TooMuchContention;
import dev.allocation.application.port.StorageUnavailable;
import dev.allocation.bootstrap.AllocationService;
import dev.allocation.domain.Refusal;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The book's HTTP API inside the application ({@code allocation.web.enabled=true}), with the routes, JSON,
 * statuses and messages of the allocation service's own: {@code POST /add_batch}
 * {@code {"ref","sku","qty","eta"}} → 201 {@code {"message":"OK"}}; {@code POST /allocate}
 * {@code {"orderid","sku","qty"}} → 202 {@code {"message":"OK"}}; {@code GET /allocations/{orderid}} → 200
 * {@code [{"sku","batchref"}]} or 404 {@code {"message":"No allocations for order ..."}}; a refused request
 * (malformed JSON, a missing or mistyped field, an unknown sku...) 400 {@code {"message"}} naming the
 * problem; too many concurrent changes of one product, or storage away, 503 with {@code Retry-After}.
 * Under {@code allocation.web.base-path}. A controller like the application's own: behind its filters and
 * security, and other failures left to its error handling.
 */
@RestController
@RequestMapping("${allocation.web.base-path:}")
public class AllocationApiController {

    private static final Logger log = LoggerFactory.getLogger(AllocationApiController.class);

    private final AllocationService service;

    AllocationApiController(AllocationService service) {
        this.service = service;
    }

    @PostMapping("/add_batch")
    ResponseEntity<byte[]> addBatch(@RequestBody(required = false) byte[] body) {
        service.handle(BookRequests.createBatch(body));
        return message(HttpStatus.CREATED, "OK");
    }

    @PostMapping("/allocate")
    ResponseEntity<byte[]> allocate(@RequestBody(required = false) byte[] body) {
        service.handle(BookRequests.allocate(body));
        return message(HttpStatus.ACCEPTED, "OK");
    }

    @GetMapping("/allocations/{orderid}")
    ResponseEntity<byte[]> allocations(@PathVariable("orderid") String orderId) {
        List<AllocationView> views = BookRequests.validated(() -> service.allocations(orderId));
        if (views.isEmpty()) {
            return message(HttpStatus.NOT_FOUND, "No allocations for order " + orderId);
        }
        ArrayNode rows = BookRequests.WRITER.createArrayNode();
        views.forEach(view -> rows.addObject().put("sku", view.sku()).put("batchref", view.batchRef()));
        return json(ResponseEntity.ok(), rows);
    }

    @ExceptionHandler(BookRequests.Refused.class)
    ResponseEntity<byte[]> refused(BookRequests.Refused refused) {
        return message(HttpStatus.BAD_REQUEST, refused.getMessage());
    }

    /** Every refusal of the domain (an unknown sku, a duplicate batch...), in its own words. */
    @ExceptionHandler(Refusal.class)
    ResponseEntity<byte[]> refusal(Refusal refusal) {
        return message(HttpStatus.BAD_REQUEST, refusal.getMessage());
    }

    @ExceptionHandler(TooMuchContention.class)
    ResponseEntity<byte[]> contention(TooMuchContention e) {
        log.warn("{}", e.getMessage());
        return tryAgain("Too many concurrent changes to this product, try again");
    }

    @ExceptionHandler(StorageUnavailable.class)
    ResponseEntity<byte[]> storageUnavailable(StorageUnavailable e) {
        log.warn("{}", e.getMessage());
        return tryAgain("Storage is unavailable, try again");
    }

    private static ResponseEntity<byte[]> tryAgain(String message) {
        ObjectNode body = BookRequests.WRITER.createObjectNode().put("message", message);
        return json(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1"), body);
    }

    /** {@code {"message": ...}}: the body of every answer that is not data. */
    private static ResponseEntity<byte[]> message(HttpStatus status, String message) {
        return json(ResponseEntity.status(status), BookRequests.WRITER.createObjectNode().put("message", message));
    }

    /**
     * The service's bytes, written by this API's own mapper, so that the application's JSON settings
     * (naming, indentation) leave them alone; JSON whatever the request accepts, as the service answers.
     */
    private static ResponseEntity<byte[]> json(ResponseEntity.BodyBuilder answer, JsonNode body) {
        return answer.contentType(MediaType.APPLICATION_JSON).body(BookRequests.WRITER.writeValueAsBytes(body));
    }
}
