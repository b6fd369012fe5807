package org.falab.gateway.pipeline;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;

import org.falab.localstack.LocalStackResource;
import org.falab.localstack.TinyMnist;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;

/**
 * The whole platform but the gateway under test: a real broker and S3 server (in this JVM), a small MNIST-format
 * dataset in the bucket, and the packaged trainer and analysis services as processes.
 */
public class PipelineResource extends LocalStackResource {

    static final String BUCKET = "falab";

    private ServiceProcess trainer;
    private ServiceProcess analysis;
    /** Base URLs of the trainer and analysis processes of the running stack (for MetricsIT's scrapes). */
    static volatile String trainerUrl;
    static volatile String analysisUrl;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try {
            datasetInBucket();
        } catch (Exception e) {
            throw new IllegalStateException("could not put the test dataset into the bucket", e);
        }
        Map<String, String> trainerConfig = new HashMap<>(config);
        trainerConfig.putAll(Map.of(
                "ai.djl.offline", "true",
                "ai.djl.pytorch.num_threads", "1",
                "ai.djl.pytorch.num_interop_threads", "1",
                "falab.datasets.local-dir", "/nonexistent",
                "falab.progress.every-steps", "1"));
        trainer = ServiceProcess.start("trainer", "trainer-service", trainerConfig);
        analysis = ServiceProcess.start("analysis", "analysis-service", config);
        trainerUrl = trainer.url();
        analysisUrl = analysis.url();
        return config;
    }

    @Override
    public void stop() {
        for (ServiceProcess service : new ServiceProcess[] {trainer, analysis}) {
            if (service != null) {
                service.close();
            }
        }
        super.stop();
    }

    static MinioClient s3() {
        return MinioClient.builder().endpoint(objectStoreEndpoint()).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    private static void datasetInBucket() throws Exception {
        MinioClient s3 = s3();
        s3.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
        for (var file : TinyMnist.dataset(200, 60).entrySet()) {
            byte[] bytes = file.getValue();
            s3.putObject(PutObjectArgs.builder().bucket(BUCKET).object("datasets/mnist/" + file.getKey())
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L).build());
        }
    }
}
