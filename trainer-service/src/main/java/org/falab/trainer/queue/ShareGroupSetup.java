package org.falab.trainer.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.falab.trainer.config.TrainerConfig;

/**
 * The share group's own settings, set by every trainer before it joins (idempotent): start from the earliest run
 * request (a new group's default is the latest, which would skip runs submitted before the first trainer came up),
 * only committed records (sweeps are published in transactions), and the lock duration this trainer renews against.
 */
final class ShareGroupSetup {

    private ShareGroupSetup() {
    }

    /** {@code kafka}: the client settings of the trainer (bootstrap.servers, TLS, SASL). */
    static void apply(Map<String, Object> kafka, TrainerConfig.Queue queue) {
        List<AlterConfigOp> ops = new ArrayList<>();
        ops.add(set("share.auto.offset.reset", "earliest"));
        // a sweep's run requests are one transaction: an aborted sweep's runs must never be trained
        ops.add(set("share.isolation.level", "read_committed"));
        ops.add(set("share.record.lock.duration.ms", Long.toString(queue.lockDuration().toMillis())));
        Map<String, Object> settings = new java.util.HashMap<>(kafka);
        settings.remove("group.id");  // a consumer setting (Quarkus adds it): an admin client has none
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(settings)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, queue.group()), ops))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot configure share group " + queue.group() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot configure share group " + queue.group() + ": broker timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring the share group", e);
        }
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
