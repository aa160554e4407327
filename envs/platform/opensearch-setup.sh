#!/bin/sh
# Applies the EFK option's OpenSearch objects through the domain's REST API, signed with SigV4:
# the ISM retention policy (updated in place when it changed, then attached to the existing log
# indices), the log writer role and its mapping to Fluent Bit's IAM role. Every step is a PUT of
# the whole object or an ISM call that skips indices already managed, so re-running it is safe.
# Runs in the setup Job's curl container (POSIX sh: the image has busybox, no bash or jq) with the
# temporary credentials the AWS CLI init container exported from the pod's IRSA web identity.
set -eu

: "${OPENSEARCH_URL:?OPENSEARCH_URL must be the base URL of the domain, e.g. https://vpc-x.eu-west-1.es.amazonaws.com}"
: "${AWS_REGION:?AWS_REGION must be the region of the domain}"
: "${ISM_POLICY_ID:?ISM_POLICY_ID must name the ISM policy}"
: "${WRITER_ROLE:?WRITER_ROLE must name the log writer role}"
: "${INDEX_PATTERN:?INDEX_PATTERN must be the log index pattern}"
CONFIG_DIR="${CONFIG_DIR:-/setup}"
CREDENTIALS_FILE="${CREDENTIALS_FILE:-/credentials/env}"
# The domain may still be coming up (DNS, FGAC, the access policy): retry with doubling delays.
MAX_ATTEMPTS="${MAX_ATTEMPTS:-12}"
RETRY_DELAY="${RETRY_DELAY:-5}"
MAX_DELAY="${MAX_DELAY:-60}"

# `aws configure export-credentials --format env` lines: export AWS_ACCESS_KEY_ID=... etc.
# shellcheck source=/dev/null
. "$CREDENTIALS_FILE"
: "${AWS_ACCESS_KEY_ID:?the credentials file sets no AWS_ACCESS_KEY_ID}"
: "${AWS_SECRET_ACCESS_KEY:?the credentials file sets no AWS_SECRET_ACCESS_KEY}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
body="$work/body"
# A curl config file keeps the secret key and the session token out of the process list.
# curl signs every x-amz-* header it is given, so the token is part of the signature.
{
  printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
  if [ -n "${AWS_SESSION_TOKEN:-}" ]; then
    printf 'header = "x-amz-security-token: %s"\n' "$AWS_SESSION_TOKEN"
  fi
} >"$work/auth"

status=""

# request METHOD PATH [BODY_FILE]: sets $status and writes the response to $body; retries while
# the domain cannot answer (no connection, 401/403 before the access policy is active, 429, 5xx).
request() {
  method="$1" path="$2" data="${3:-}"
  attempt=1
  delay="$RETRY_DELAY"
  while :; do
    if [ -n "$data" ]; then set -- --data-binary "@$data"; else set --; fi
    status="$(curl --silent --show-error --globoff --config "$work/auth" \
      --aws-sigv4 "aws:amz:$AWS_REGION:es" -H "Content-Type: application/json" \
      -X "$method" -o "$body" -w "%{http_code}" "$@" "$OPENSEARCH_URL$path")" || status="000"
    case "$status" in
      000 | 401 | 403 | 429 | 5??) ;;
      *) return 0 ;;
    esac
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "$method $path: HTTP $status after $attempt attempts" >&2
      cat "$body" >&2 2>/dev/null || true
      exit 1
    fi
    echo "$method $path: HTTP $status, retrying in ${delay}s ($attempt/$MAX_ATTEMPTS)" >&2
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
    if [ "$delay" -gt "$MAX_DELAY" ]; then delay="$MAX_DELAY"; fi
  done
}

# expect CODE...: fails with the response unless $status is one of the codes.
expect() {
  for code in "$@"; do
    if [ "$status" = "$code" ]; then return 0; fi
  done
  echo "$method $path: unexpected HTTP $status (expected $*)" >&2
  cat "$body" >&2
  exit 1
}

# number FIELD: the integer value of "FIELD" in the last response (OpenSearch answers compact JSON).
number() {
  value="$(sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$body")"
  if [ -z "$value" ]; then
    echo "$method $path: no $1 in the response" >&2
    exit 1
  fi
  echo "$value"
}

echo "waiting for $OPENSEARCH_URL"
request GET /
expect 200

# First the policy, so that its ism_template catches every log index Fluent Bit creates once the
# mapping below lets it write.
policy="/_plugins/_ism/policies/$ISM_POLICY_ID"
request GET "$policy"
case "$status" in
  404)
    request PUT "$policy" "$CONFIG_DIR/ism-policy.json"
    expect 200 201
    echo "created ISM policy $ISM_POLICY_ID"
    updated=""
    ;;
  200)
    seq_no="$(number _seq_no)"
    primary_term="$(number _primary_term)"
    # Query parameters in sorted order: the order SigV4 signs them in, whatever curl's version.
    request PUT "$policy?if_primary_term=$primary_term&if_seq_no=$seq_no" "$CONFIG_DIR/ism-policy.json"
    expect 200
    echo "updated ISM policy $ISM_POLICY_ID"
    updated="yes"
    ;;
  *) expect 200 404 ;;
esac

request PUT "/_plugins/_security/api/roles/$WRITER_ROLE" "$CONFIG_DIR/writer-role.json"
expect 200 201
request PUT "/_plugins/_security/api/rolesmapping/$WRITER_ROLE" "$CONFIG_DIR/writer-role-mapping.json"
expect 200 201
echo "mapped role $WRITER_ROLE"

# The log indices that already exist, one by one: a wildcard in the path would need SigV4's URI
# encoding, which curl applies only from version 8 on. Their names are plain (prefix + date).
prefix="${INDEX_PATTERN%\*}"
request GET "/_cat/indices?format=json&h=index"
expect 200
indices="$(tr '{' '\n' <"$body" | sed -n "s/.*\"index\":\"\(${prefix}[A-Za-z0-9._-]*\)\".*/\1/p")"
for index in $indices; do
  # ism_template attaches the policy to new indices only: add it to those created before it;
  # ISM reports indices it already manages as failures and leaves them alone.
  request POST "/_plugins/_ism/add/$index" "$CONFIG_DIR/ism-attach.json"
  expect 200
  if [ -n "$updated" ]; then
    # Managed indices keep the policy version they started with until they are switched.
    request POST "/_plugins/_ism/change_policy/$index" "$CONFIG_DIR/ism-attach.json"
    expect 200
  fi
done
echo "ISM policy $ISM_POLICY_ID attached to $(echo "$indices" | grep -c . || true) existing log indices"
echo "OpenSearch setup applied"
