package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** helm/falab/values.schema.json: bad values are refused by helm template, naming the value and what is wrong. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "trainer.replicas|-1|/trainer/replicas': minimum: got -1, want 0",
            "trainer.checkpointGraceSeconds|0|/trainer/checkpointGraceSeconds': minimum: got 0, want 1",
            "image.pullPolicy|Sometimes|/image/pullPolicy': value must be one of",
            "gateway.service.type|Public|/gateway/service/type': value must be one of",
            "gateway.service.port|70000|/gateway/service/port': maximum: got 70,000, want 65,535",
            "kafka.replicas|0|/kafka/replicas': minimum: got 0, want 1",
            "kafka.security.saslMechanism|PLAIN|/kafka/security/saslMechanism': value must be one of",
            "objectStore.bucket|Runs_Bucket|/objectStore/bucket': 'Runs_Bucket' does not match pattern",
            "objectStore.endpoint|s3.example.org|/objectStore/endpoint': 's3.example.org' does not match pattern",
            "trainer.podDisruptionBudget.maxUnavailable|half|/trainer/podDisruptionBudget/maxUnavailable'",
            "trainer.topologySpreadConstraints[0].whenUnsatisfiable|Sometimes|/trainer/topologySpreadConstraints/0/whenUnsatisfiable'",
            "tests.timeoutSeconds|1|/tests/timeoutSeconds': minimum: got 1, want 10",
            "tests.tokenSecrets|oops|/tests': additional properties 'tokenSecrets' not allowed",
            "apiVersions[0]|Strimzi|/apiVersions/0': 'Strimzi' does not match pattern",
            "podSecurityContext.runAsNonRoot|false|/podSecurityContext/runAsNonRoot': value must be true",
    })
    void aBadValueIsRefusedNamingIt(String key, String value, String message) {
        assertThatThrownBy(() -> HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab")).set(key, value).call())
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("at '" + message);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {"trainer.podDisruptionBudget.maxUnavailable|25%", "trainer.replicas|0",
            "image.pullPolicy|Always", "objectStore.endpoint|https://s3.example.org"})
    void aGoodValueIsAccepted(String key, String value) {
        assertThat(HelmChartTest.withSecrets(HelmChartTest.template("falab", "falab")).set(key, value).call())
                .contains("kind: Deployment");
    }
}
