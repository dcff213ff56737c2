package dev.allocation.service;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.OpenApi31;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's OpenAPI document, as tests read it: its operations, the schemas it points to (with
 * their JSON pointers, so that the validator checks a value against the very schema the document
 * states), and a JSON Schema validator in OpenAPI 3.1's dialect with {@code format} asserted (the document
 * relies on {@code format: date} for a real day of the calendar).
 */
final class OpenApiDocument {

    static final String RESOURCE = "dev/allocation/adapters/http/openapi.json";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonNode root;
    /** OpenAPI 3.1's dialect, knowing the document's own keyword (checked by {@link #utf16Excess}). */
    private static final Dialect DIALECT = Dialect.builder(OpenApi31.getInstance())
            .keyword(new AnnotationKeyword("x-maxUtf16Length")).build();

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(DIALECT,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    OpenApiDocument() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            root = JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode root() {
        return root;
    }

    /** A node of the document and where it is: the target of its {@code $ref}s, followed. */
    record Located(String pointer, JsonNode node) {

        Located at(String... steps) {
            StringBuilder pointer = new StringBuilder(this.pointer);
            JsonNode node = this.node;
            for (String step : steps) {
                pointer.append('/').append(step.replace("~", "~0").replace("/", "~1"));
                node = node.path(step);
            }
            return new Located(pointer.toString(), node);
        }

        Located at(int index) {
            return new Located(pointer + "/" + index, node.path(index));
        }

        boolean missing() {
            return node.isMissingNode();
        }
    }

    /** The node at {@code pointer}, its {@code $ref}s followed. */
    Located at(String pointer) {
        return resolve(new Located(pointer, root.at(pointer)));
    }

    /** {@code located} itself, or what its {@code $ref} (and theirs) point to. */
    Located resolve(Located located) {
        Located current = located;
        for (int hops = 0; current.node().has("$ref"); hops++) {
            if (hops > 20) {
                throw new IllegalStateException("A cycle of $ref at " + located.pointer());
            }
            String pointer = current.node().get("$ref").asString().substring(1);
            current = new Located(pointer, root.at(pointer));
        }
        return current;
    }

    /** One operation: a method of a path, on the API or on the admin listener (the path's own servers). */
    record Operation(String path, String method, boolean admin, Located node, Located pathItem) {

        /** The methods its path lists, upper case. */
        List<String> methodsOfThePath() {
            List<String> methods = new ArrayList<>();
            pathItem.node().propertyNames().forEach(name -> {
                if (METHODS.contains(name)) {
                    methods.add(name.toUpperCase(Locale.ROOT));
                }
            });
            return methods;
        }

        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        Located paths = at("/paths");
        for (String path : paths.node().propertyNames()) {
            Located item = paths.at(path);
            boolean admin = item.node().path("servers").valueStream()
                    .anyMatch(server -> server.path("url").asString().endsWith(":5006"));
            for (String method : item.node().propertyNames()) {
                if (METHODS.contains(method)) {
                    operations.add(new Operation(path, method, admin, item.at(method), item));
                }
            }
        }
        return operations;
    }

    /** The operation's parameters ({@code in} path or query), each resolved. */
    List<Located> parameters(Operation operation) {
        List<Located> parameters = new ArrayList<>();
        Located list = operation.node().at("parameters");
        for (int i = 0; i < list.node().size(); i++) {
            parameters.add(resolve(list.at(i)));
        }
        return parameters;
    }

    /** The schema of the operation's JSON request body, or a missing node. */
    Located requestSchema(Operation operation) {
        Located body = resolve(operation.node().at("requestBody"));
        return body.at("content", "application/json", "schema");
    }

    /** True when the operation asks for the bearer token (its own security, else the document's). */
    boolean asksForToken(Operation operation) {
        JsonNode security = operation.node().node().has("security") ? operation.node().node().get("security")
                : root.path("security");
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return false;   // {}: anonymous allowed
            }
        }
        return !security.isEmpty();
    }

    /** What the schema at {@code schema} says is wrong with {@code value}; empty when it accepts it. */
    List<String> errors(Located schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        registry.getSchema(SchemaLocation.of("classpath:" + RESOURCE + "#" + schema.pointer()))
                .validate(value).forEach(error -> errors.add(error.toString()));
        errors.addAll(utf16Excess(schema, value));
        return errors;
    }

    /** The same, for a JSON text. */
    List<String> errors(Located schema, String json) {
        return registry.getSchema(SchemaLocation.of("classpath:" + RESOURCE + "#" + schema.pointer()))
                .validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }

    /**
     * What the document states that no JSON Schema keyword can, checked along the schema's properties:
     * its {@code x-maxUtf16Length} ({@code maxLength} counts code points, the service UTF-16 code units),
     * and that an integer is written without a fraction ({@code 10.0} is an integer to JSON Schema, not to
     * the service, as the quantities' descriptions say).
     */
    private List<String> utf16Excess(Located schema, JsonNode value) {
        Located resolved = resolve(schema);
        JsonNode bound = resolved.node().get("x-maxUtf16Length");
        if (bound != null && value.isString() && value.stringValue().length() > bound.asInt()) {
            return List.of(resolved.pointer() + ": more than " + bound.asInt() + " UTF-16 code units");
        }
        if ("integer".equals(resolved.node().path("type").asString("")) && value.isNumber()
                && !value.isIntegralNumber()) {
            return List.of(resolved.pointer() + ": an integer written with a fraction, " + value);
        }
        List<String> errors = new ArrayList<>();
        if (value.isObject() && resolved.node().has("properties")) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Located property = resolved.at("properties", field.getKey());
                if (!property.missing()) {
                    errors.addAll(utf16Excess(property, field.getValue()));
                }
            }
        }
        return errors;
    }
}
