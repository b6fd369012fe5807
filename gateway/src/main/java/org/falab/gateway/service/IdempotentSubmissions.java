package org.falab.gateway.service;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.falab.gateway.registry.RunRegistry;

import io.smallrye.mutiny.Uni;

/**
 * Submissions with an Idempotency-Key: the first creates, a retry with the same key and body gets what the first
 * created, with another body a 422.
 *
 * <p>What was created is looked up in the registry, which indexes the keys of the RunRequested records it folds, so
 * a gateway rebuilt from Kafka answers a retry like the gateway that took the original. While the first request
 * with a key is still being published, a second one with the same key waits for it here instead of creating a
 * second run; the pending entry is removed only after the registry has the result, so there is no moment when
 * neither knows it. (Two gateways taking the same key at the same moment can still both create: the registry then
 * keeps the earlier, and the later is an orphan run.)
 */
@ApplicationScoped
public class IdempotentSubmissions {

    /** What a submission answered: the id it created or found, and whether it was found (a retry). */
    public record Outcome(String id, boolean replayed) {
    }

    private record Pending(String requestHash, CompletableFuture<String> id) {
    }

    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();

    /**
     * @param scope    what the key is for ({@code runs}, {@code sweeps}): a key names one submission per endpoint
     * @param request  the key and body hash
     * @param existing what the registry knows under the key
     * @param create   creates (publishes and records) and gives the new id; called at most once per key at a time
     */
    public Uni<Outcome> submit(String scope, IdempotentRequest request,
            Supplier<Optional<RunRegistry.Keyed>> existing, Supplier<Uni<String>> create) {
        return Uni.createFrom().deferred(() -> {
            Optional<RunRegistry.Keyed> known = existing.get();
            if (known.isPresent()) {
                return Uni.createFrom().item(replay(scope, request, known.get()));
            }
            String slot = scope + '\n' + request.key();
            Pending mine = new Pending(request.requestHash(), new CompletableFuture<>());
            Pending first = pending.putIfAbsent(slot, mine);
            if (first != null) {
                if (!first.requestHash().equals(request.requestHash())) {
                    return Uni.createFrom().failure(IdempotencyKeyReusedException.inUse(what(scope)));
                }
                return Uni.createFrom().completionStage(first.id()).map(id -> new Outcome(id, true));
            }
            // the first request may have finished between the look-up and putIfAbsent
            known = existing.get();
            if (known.isPresent()) {
                pending.remove(slot, mine);
                Outcome outcome = replay(scope, request, known.get());
                mine.id().complete(outcome.id());
                return Uni.createFrom().item(outcome);
            }
            return Uni.createFrom().<String>deferred(create::get)
                    .invoke(id -> {
                        pending.remove(slot, mine);
                        mine.id().complete(id);
                    })
                    .onFailure().invoke(e -> {
                        pending.remove(slot, mine);
                        mine.id().completeExceptionally(e);
                    })
                    .onCancellation().invoke(() -> {
                        pending.remove(slot, mine);
                        mine.id().cancel(false);
                    })
                    .map(id -> new Outcome(id, false));
        });
    }

    private static Outcome replay(String scope, IdempotentRequest request, RunRegistry.Keyed known) {
        if (!request.requestHash().equals(known.requestHash())) {
            throw IdempotencyKeyReusedException.usedFor(what(scope), known.id());
        }
        return new Outcome(known.id(), true);
    }

    private static String what(String scope) {
        return "sweeps".equals(scope) ? "sweep" : "run";
    }
}
