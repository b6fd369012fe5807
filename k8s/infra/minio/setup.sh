#!/bin/sh
# The MinIO setup Job's script (k8s/infra/minio/setup-job.yaml, and the chart's templates/minio-setup.yaml through
# helm/falab/files/minio-setup.sh): with the root identity, creates the bucket, one policy per service from
# /setup/<service>.json, that service's user, and attaches the policy to the user. Idempotent: it runs again on
# every change. Retried by the Job until MinIO answers.
# Needs ENDPOINT, BUCKET, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD and, per service S, S_ACCESS_KEY and S_SECRET_KEY.
set -eu
mc alias set falab "$ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "falab/$BUCKET"
for who in trainer analysis gateway; do
  eval "user=\$${who}_ACCESS_KEY; secret=\$${who}_SECRET_KEY"
  mc admin policy create falab "falab-$who" "/setup/$who.json"
  # mc takes the secret as an argument: seen only inside this short-lived pod, never in its spec or a log
  mc admin user add falab "$user" "$secret" >/dev/null
  mc admin policy attach falab "falab-$who" --user "$user" >/dev/null 2>&1 || true  # already attached
  echo "falab-setup: user $user has policy falab-$who"
done
