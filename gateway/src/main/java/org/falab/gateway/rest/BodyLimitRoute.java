package org.falab.gateway.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.falab.contracts.json.ContractJson;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A body larger than {@code quarkus.http.limits.max-body-size} is answered 413 problem+json. Quarkus enforces the
 * same limit itself but answers with an empty body; this route runs just before its check (order -3, Quarkus' is
 * -2) so the client gets a problem like every other error:
 * <ul>
 *   <li>a body that declares its length (Content-Length) is refused before it is read;</li>
 *   <li>a body sent in chunks (no Content-Length) is read here, up to the limit, by Vert.x' body handler, whose
 *   413 this route's failure handler answers; RESTEasy then takes the body already read.</li>
 * </ul>
 */
@ApplicationScoped
public class BodyLimitRoute {

    /** Quarkus' own body size check runs at order -2. */
    private static final int ORDER = -3;

    private final Optional<MemorySize> limit;

    public BodyLimitRoute(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void install(@Observes Router router) {
        limit.ifPresent(max -> {
            BodyHandler chunked = BodyHandler.create(false).setBodyLimit(max.asLongValue());
            router.route().order(ORDER)
                    .handler(context -> check(context, max.asLongValue(), chunked))
                    .failureHandler(context -> {
                        if (context.statusCode() == 413 && !context.response().headWritten()) {
                            answer(context, 413, "Content Too Large", "The body has more than " + max.asLongValue()
                                    + " bytes (quarkus.http.limits.max-body-size).");
                        } else {
                            context.next();
                        }
                    });
        });
    }

    private static void check(RoutingContext context, long max, BodyHandler chunked) {
        String length = context.request().getHeader("Content-Length");
        if (length == null && context.request().getHeader("Transfer-Encoding") != null) {
            chunked.handle(context);
            return;
        }
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                answer(context, 400, "Bad Request", "Content-Length is not a number.");
                return;
            }
            if (declared > max) {
                answer(context, 413, "Content Too Large", "The body has " + declared + " bytes; at most " + max
                        + " are accepted (quarkus.http.limits.max-body-size).");
                return;
            }
        }
        context.next();
    }

    private static void answer(RoutingContext context, int status, String title, String detail) {
        String body = ContractJson.write(new Problem("about:blank", title, status, detail,
                context.request().path(), null));
        // the body is not read: close the connection, as Quarkus does, rather than read it to keep it alive
        context.response().setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
