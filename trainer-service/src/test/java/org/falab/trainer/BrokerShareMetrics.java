package org.falab.trainer;

import java.lang.management.ManagementFactory;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The test broker's own account of a share partition (the broker runs in the test's JVM and publishes its metrics
 * over JMX): how many of its records are acquired by members right now, and how many acquisition locks have lapsed.
 */
final class BrokerShareMetrics {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String group;
    private final String topic;
    private final int partition;

    BrokerShareMetrics(String group, String topic, int partition) {
        this.group = group;
        this.topic = topic;
        this.partition = partition;
    }

    /** Records of the partition acquired by any member of the group now (the broker's InFlightMessageCount). */
    long acquired() {
        return number(metric("InFlightMessageCount"), "Value");
    }

    /** Acquisition locks of the partition that lapsed so far (the broker's AcquisitionLockTimeoutPerSec meter). */
    long lapsedLocks() {
        return number(metric("AcquisitionLockTimeoutPerSec"), "Count");
    }

    private ObjectName metric(String name) {
        try {
            Set<ObjectName> names = server.queryNames(new ObjectName("kafka.server:type=SharePartitionMetrics,name="
                    + name + ",*"), null);
            return names.stream().filter(n -> group.equals(n.getKeyProperty("group"))
                    && topic.equals(n.getKeyProperty("topic"))
                    && String.valueOf(partition).equals(n.getKeyProperty("partition"))).findFirst()
                    .orElseThrow(() -> new AssertionError("the broker has no " + name + " of " + group + " on "
                            + topic + "-" + partition + " (share partition metrics: " + names + ")"));
        } catch (JMException e) {
            throw new AssertionError(e);
        }
    }

    private long number(ObjectName name, String attribute) {
        try {
            return ((Number) server.getAttribute(name, attribute)).longValue();
        } catch (JMException e) {
            throw new AssertionError("cannot read " + attribute + " of " + name, e);
        }
    }
}
