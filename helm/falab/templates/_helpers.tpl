{{/* Common labels of every object */}}
{{- define "falab.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: falab
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Selector labels of a component: (dict "root" $ "name" "gateway") */}}
{{- define "falab.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "falab.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* registry/name:tag of an image: (dict "root" $ "image" "falab/gateway") */}}
{{- define "falab.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .image $tag -}}
{{- else -}}
{{- printf "%s:%s" .image $tag -}}
{{- end -}}
{{- end }}

{{/*
The pull policy of an image: image.pullPolicy when set; else IfNotPresent for a pinned tag (a release such as the
chart's appVersion, or a digest) and Always for a moving one (SNAPSHOT, latest), which a node would otherwise
never fetch again
*/}}
{{- define "falab.pullPolicy" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.pullPolicy -}}
{{- .Values.image.pullPolicy -}}
{{- else if or (contains "SNAPSHOT" $tag) (eq $tag "latest") -}}
Always
{{- else -}}
IfNotPresent
{{- end -}}
{{- end }}

{{/*
Whether the cluster serves an API (group/version, or group/version/Kind): what `helm install` finds on the cluster,
`helm template --api-versions`, or the apiVersions value (for renderers that cannot pass the flag). The chart renders
Strimzi, KEDA and Prometheus-operator objects only where their CRDs are; NOTES.txt names what it left out.
(dict "root" $ "api" "kafka.strimzi.io/v1beta2")
*/}}
{{- define "falab.hasApi" -}}
{{- if or (.root.Capabilities.APIVersions.Has .api) (has .api .root.Values.apiVersions) -}}
true
{{- end -}}
{{- end }}

{{/* The ServiceAccount of a service: (dict "root" $ "name" "gateway") */}}
{{- define "falab.serviceAccountName" -}}{{ .root.Release.Name }}-{{ .name }}{{- end }}

{{/* The Secret with the public key the gateway verifies tokens with (docs/auth.md) */}}
{{- define "falab.authPublicKeySecret" -}}
{{- .Values.auth.publicKeySecret | default (printf "%s-auth-public-key" .Release.Name) -}}
{{- end }}

{{- define "falab.configName" -}}{{ .Release.Name }}-falab-config{{- end }}

{{/* The Secret of a service's object-store identity: (dict "root" $ "who" "trainer") */}}
{{- define "falab.storageSecretName" -}}
{{- (index .root.Values.objectStore .who).existingSecret | default (printf "%s-%s-object-store" .root.Release.Name .who) -}}
{{- end }}

{{/* The Secret of the in-cluster MinIO's root identity (only the setup Job and MinIO itself read it) */}}
{{- define "falab.minioRootSecretName" -}}
{{- .Values.objectStore.minio.existingSecret | default (printf "%s-minio-root" .Release.Name) -}}
{{- end }}

{{/* The Secret with a service's Kafka credentials (key sasl.jaas.config): (dict "root" $ "who" "trainer") */}}
{{- define "falab.kafkaUserSecret" -}}
{{- (index .root.Values.kafka.security.users .who).secretName | default (printf "%s-%s" .root.Release.Name .who) -}}
{{- end }}

{{- define "falab.kafkaCaSecret" -}}
{{- .Values.kafka.security.caSecret | default (printf "%s-cluster-ca-cert" (include "falab.kafkaCluster" .)) -}}
{{- end }}

{{/* The Kafka client settings every service shares (ConfigMap entries; Quarkus maps KAFKA_* onto kafka.*) */}}
{{- define "falab.kafkaClientConfig" -}}
{{- if .Values.kafka.security.enabled }}
KAFKA_SECURITY_PROTOCOL: SASL_SSL
KAFKA_SASL_MECHANISM: {{ .Values.kafka.security.saslMechanism | quote }}
KAFKA_SSL_TRUSTSTORE_TYPE: PEM
KAFKA_SSL_TRUSTSTORE_LOCATION: /etc/falab/kafka-ca/{{ .Values.kafka.security.caKey }}
{{- else }}
KAFKA_SECURITY_PROTOCOL: PLAINTEXT
{{- end }}
{{- end }}

{{- define "falab.trainerServiceAccount" -}}{{ include "falab.serviceAccountName" (dict "root" . "name" "trainer-service") }}{{- end }}

{{- define "falab.kafkaCluster" -}}{{ .Release.Name }}-kafka{{- end }}

{{- define "falab.kafkaBootstrap" -}}
{{- if .Values.kafka.inCluster -}}
{{- printf "%s-kafka-bootstrap:%s" (include "falab.kafkaCluster" .) (ternary "9093" "9092" .Values.kafka.security.enabled) -}}
{{- else -}}
{{- required "kafka.bootstrapServers is required when kafka.inCluster=false" .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end }}

{{- define "falab.storageEndpoint" -}}
{{- if .Values.objectStore.inCluster -}}
{{- printf "http://%s-minio:9000" .Release.Name -}}
{{- else -}}
{{- required "objectStore.endpoint is required when objectStore.inCluster=false" .Values.objectStore.endpoint -}}
{{- end -}}
{{- end }}

{{/*
One falab service: Deployment and Service.
(dict "root" $ "name" "gateway" "port" 8080 "values" .Values.gateway "component" "api" "storage" "" "kafkaUser" "gateway" "trainer" false)
storage: the object-store identity (trainer, analysis, gateway) or "" for none; kafkaUser: the Kafka user (gateway, trainer, analysis)
*/}}
{{- define "falab.service" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $gpu := and .trainer $v.gpu.enabled -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "falab.fullname" . }}
  labels:
    {{- include "falab.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ .name }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not (and .trainer $v.autoscaling.enabled) }}
  replicas: {{ $v.replicas }}
  {{- end }}
  {{- if .trainer }}
  # one new trainer at a time, and an old one only goes once its successor is ready: never all trainers at once
  # (with GPUs the new pod needs a free one, else the rollout waits rather than stop a busy trainer)
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  {{- end }}
  selector:
    matchLabels:
      {{- include "falab.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "falab.labels" $root | nindent 8 }}
        app.kubernetes.io/name: {{ .name }}
        app.kubernetes.io/component: {{ .component }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/config.yaml") $root | sha256sum }}
        {{- if $root.Values.monitoring.scrapeAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: {{ .port | quote }}
        prometheus.io/path: /q/metrics
        {{- end }}
    spec:
      # its own ServiceAccount (templates/serviceaccounts.yaml): a workload identity for S3 through its annotations
      serviceAccountName: {{ include "falab.serviceAccountName" . }}
      {{- if .trainer }}
      # the trainer sets its own pod's controller.kubernetes.io/pod-deletion-cost (high while it trains, 0 idle)
      # through the API, so a scale-down picks an idle trainer first (templates/trainer-rbac.yaml)
      automountServiceAccountToken: true
      {{- else }}
      automountServiceAccountToken: false
      {{- end }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- $runtimeClass := $v.runtimeClassName }}
      {{- if $gpu }}
      {{- $runtimeClass = $v.gpu.runtimeClassName | default $runtimeClass }}
      {{- end }}
      {{- with $runtimeClass }}
      # e.g. nvidia: the NVIDIA container runtime mounts the driver's libraries (libcuda) into the trainer
      runtimeClassName: {{ . }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- range $v.topologySpreadConstraints }}
        {{- $c := deepCopy . }}
        {{- if not $c.labelSelector }}
        {{- $_ := set $c "labelSelector" (dict "matchLabels" (fromYaml (include "falab.selector" $))) }}
        {{- end }}
        - {{- toYaml $c | nindent 10 }}
        {{- end }}
      {{- end }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if .trainer }}
      # on SIGTERM the trainer checkpoints its run and gives it back: the time that takes (trainer.checkpointGraceSeconds)
      terminationGracePeriodSeconds: {{ int $v.checkpointGraceSeconds }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- $nodeSelector := $v.nodeSelector | default dict }}
      {{- $tolerations := $v.tolerations | default list }}
      {{- if $gpu }}
      {{- $nodeSelector = merge (deepCopy $nodeSelector) $v.gpu.nodeSelector }}
      {{- $tolerations = concat $tolerations $v.gpu.tolerations }}
      {{- end }}
      {{- with $nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "falab.image" (dict "root" $root "image" (ternary (($v.gpu | default dict).image | default "") $v.image (eq $gpu true))) }}
          imagePullPolicy: {{ include "falab.pullPolicy" $root }}
          ports:
            - name: http
              containerPort: {{ .port }}
          envFrom:
            - configMapRef:
                name: {{ include "falab.configName" $root }}
          env:
            {{- if .storage }}
            # this service's own object-store identity (least privilege, docs/security.md)
            - name: FALAB_STORAGE_ACCESS_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ include "falab.storageSecretName" (dict "root" $root "who" .storage) }}
                  key: {{ $root.Values.objectStore.accessKeyKey }}
            - name: FALAB_STORAGE_SECRET_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ include "falab.storageSecretName" (dict "root" $root "who" .storage) }}
                  key: {{ $root.Values.objectStore.secretKeyKey }}
            {{- end }}
            {{- if $root.Values.kafka.security.enabled }}
            # this service's Kafka user (SCRAM-SHA-512; its ACLs: templates/kafka-users.yaml)
            - name: KAFKA_SASL_JAAS_CONFIG
              valueFrom:
                secretKeyRef:
                  name: {{ include "falab.kafkaUserSecret" (dict "root" $root "who" .kafkaUser) }}
                  key: sasl.jaas.config
            {{- end }}
            {{- if eq .name "gateway" }}
            # bearer tokens (docs/auth.md): RS256, this issuer, verified with the public key below or the JWKS URL
            - name: MP_JWT_VERIFY_ISSUER
              value: {{ $root.Values.auth.issuer | quote }}
            {{- with $root.Values.auth.publicKeyLocation }}
            - name: MP_JWT_VERIFY_PUBLICKEY_LOCATION
              value: {{ . | quote }}
            {{- end }}
            # Swagger UI (it needs a token even when on); off unless gateway.swaggerUi
            - name: QUARKUS_SWAGGER_UI_ENABLE
              value: {{ $v.swaggerUi | default false | quote }}
            {{- end }}
            {{- if .trainer }}
            # which pod to annotate (the downward API): the trainer patches its own pod-deletion-cost
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: DJL_OFFLINE
              value: "true"
            - name: DJL_CACHE_DIR
              value: /var/cache/djl
            - name: JAVA_TOOL_OPTIONS
              value: {{ printf "%s -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=%v -Dai.djl.pytorch.num_interop_threads=1" $v.javaToolOptions $v.threads | quote }}
            {{- if $gpu }}
            - name: FALAB_TRAINING_DEVICE
              value: gpu
            - name: PYTORCH_LIBRARY_PATH
              value: {{ $v.gpu.libraryPath | quote }}
            - name: PYTORCH_VERSION
              value: "2.7.1"
            - name: PYTORCH_FLAVOR
              value: cu128
            {{- end }}
            {{- else }}
            - name: JAVA_TOOL_OPTIONS
              value: {{ $v.javaToolOptions | quote }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          resources:
            {{- if $gpu }}
            requests:
              {{- toYaml $v.gpu.resources.requests | nindent 14 }}
              {{ $v.gpu.resourceName }}: {{ $v.gpu.count }}
            limits:
              {{- toYaml $v.gpu.resources.limits | nindent 14 }}
              {{ $v.gpu.resourceName }}: {{ $v.gpu.count }}
            {{- else }}
            {{- toYaml $v.resources | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            periodSeconds: 2
            failureThreshold: {{ ternary 120 60 .trainer }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            periodSeconds: 10
            failureThreshold: {{ ternary 4 3 .trainer }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            periodSeconds: 5
            failureThreshold: 3
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if $root.Values.kafka.security.enabled }}
            - name: kafka-ca
              mountPath: /etc/falab/kafka-ca
              readOnly: true
            {{- end }}
            {{- if .trainer }}
            - name: djl-cache
              mountPath: /var/cache/djl
            {{- end }}
            {{- if and (eq .name "gateway") (not $root.Values.auth.publicKeyLocation) }}
            - name: auth-public-key
              mountPath: /etc/falab/auth
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ ternary $v.tmpSizeLimit "256Mi" .trainer }}
        {{- if $root.Values.kafka.security.enabled }}
        # the CA that signed the brokers' certificates: the only one the Kafka clients trust
        - name: kafka-ca
          secret:
            secretName: {{ include "falab.kafkaCaSecret" $root }}
            items:
              - key: {{ $root.Values.kafka.security.caKey }}
                path: {{ $root.Values.kafka.security.caKey }}
        {{- end }}
        {{- if .trainer }}
        - name: djl-cache
          emptyDir:
            sizeLimit: {{ $v.djlCacheSizeLimit }}
        {{- end }}
        {{- if and (eq .name "gateway") (not $root.Values.auth.publicKeyLocation) }}
        # the public key of the token issuer (mp.jwt.verify.publickey.location=/etc/falab/auth/public-key.pem);
        # only the public half: whoever mints tokens keeps the private key outside the cluster
        - name: auth-public-key
          secret:
            secretName: {{ include "falab.authPublicKeySecret" $root }}
            items:
              - key: {{ $root.Values.auth.publicKeyKey }}
                path: public-key.pem
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "falab.fullname" . }}
  labels:
    {{- include "falab.labels" $root | nindent 4 }}
    app.kubernetes.io/name: {{ .name }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ if eq .name "gateway" }}{{ $v.service.type }}{{ else }}ClusterIP{{ end }}
  selector:
    {{- include "falab.selector" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
{{- end }}
