package org.falab.e2e;

import java.lang.reflect.Field;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.falab.localstack.LocalKafka;

/**
 * Stops the local broker's broker role and starts it again in place: same port (Kafka's test kit rebinds the port it
 * bound first), same log directories, so the topics keep their records and clients reconnect to the address they
 * have. The controller role (combined node) keeps running. {@link LocalKafka} has no such API, so this reaches its
 * test kit by reflection; {@code local-stack} could offer it instead.
 */
final class BrokerOutage {

    private BrokerOutage() {
    }

    static void stop(LocalKafka kafka) {
        cluster(kafka).brokers().values().forEach(broker -> broker.shutdown());
    }

    static void start(LocalKafka kafka) {
        KafkaClusterTestKit cluster = cluster(kafka);
        cluster.brokers().values().forEach(broker -> broker.startup());
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not come back", e);
        }
    }

    private static KafkaClusterTestKit cluster(LocalKafka kafka) {
        try {
            Field field = LocalKafka.class.getDeclaredField("cluster");
            field.setAccessible(true);
            return (KafkaClusterTestKit) field.get(kafka);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LocalKafka no longer keeps its KafkaClusterTestKit in 'cluster'", e);
        }
    }
}
