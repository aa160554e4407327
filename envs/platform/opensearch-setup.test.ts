import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackJson } from "../../test/synth.ts";
import { dev } from "../dev.ts";
import {
  emptyDomain,
  renderConfigMap,
  startFakeOpenSearch,
  type Credentials,
  type FakeDomainState,
  type FakeOpenSearch,
  type FakeOptions,
} from "./opensearch-testing/index.ts";
import { SETUP_SCRIPT_KEY, SETUP_SCRIPT_PATH } from "./opensearch-setup-job.ts";
import { ISM_POLICY_ID, LOG_INDEX_PREFIX, LOG_WRITER_ROLE } from "./opensearch.ts";
import { PlatformStack } from "./stack.ts";

const run = promisify(execFile);
const REGION = "eu-west-1";
const FLUENT_BIT_ROLE = "arn:aws:iam::123456789012:role/expense-dev-fluent-bit";
// What `aws configure export-credentials --format env` prints for an assumed role (made up).
const credentials: Credentials = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE12",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ+test=",
};

// The Job's ConfigMap and the apply container's environment, from the synthesized stack.
const platform = JSON.parse(
  Testing.synth(
    new PlatformStack(Testing.app(), { ...dev, openSearch: { ...dev.openSearch, enabled: true } }),
  ),
) as StackJson;
const configMap = platform.resource?.kubernetes_config_map_v1?.["opensearch_setup_config"] as {
  data: Record<string, string>;
};
const jobEnv = Object.fromEntries(
  (
    platform.resource?.kubernetes_job_v1?.["opensearch_setup_job"] as {
      spec: { template: { spec: { container: { env: { name: string; value: string }[] }[] } } };
    }
  ).spec.template.spec.container[0]!.env.map((e) => [e.name, e.value]),
);

let dir: string;
let files: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "opensearch-setup-"));
  // The files exactly as the Job mounts them: the ConfigMap's expressions evaluated by terraform.
  files = renderConfigMap(configMap.data, {
    log_retention_days: dev.logRetentionDays,
    fluent_bit_role_arn: FLUENT_BIT_ROLE,
  });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, "credentials.env"),
    [
      `export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
      `export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
      `export AWS_SESSION_TOKEN=${credentials.sessionToken}`,
      "export AWS_CREDENTIAL_EXPIRATION=2026-11-28T11:00:00+00:00",
      "",
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the mounted script against a fake domain; resolves with its exit code and output. */
async function setup(
  fake: FakeOpenSearch,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ISM_POLICY_ID: jobEnv.ISM_POLICY_ID!,
    WRITER_ROLE: jobEnv.WRITER_ROLE!,
    INDEX_PATTERN: jobEnv.INDEX_PATTERN!,
    AWS_REGION: REGION,
    OPENSEARCH_URL: fake.url,
    CONFIG_DIR: dir,
    CREDENTIALS_FILE: join(dir, "credentials.env"),
    RETRY_DELAY: "0",
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run("sh", [join(dir, SETUP_SCRIPT_KEY)], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withFake<T>(
  options: Partial<FakeOptions>,
  state: FakeDomainState | undefined,
  body: (fake: FakeOpenSearch) => Promise<T>,
): Promise<T> {
  const fake = await startFakeOpenSearch({ credentials, region: REGION, ...options }, state);
  try {
    return await body(fake);
  } finally {
    await fake.close();
  }
}

const calls = (fake: FakeOpenSearch) =>
  fake.requests.map((r) => `${r.method} ${r.url} ${r.status}`);

describe("opensearch-setup.sh", () => {
  it("is valid POSIX sh and passes shellcheck", () => {
    execFileSync("sh", ["-n", SETUP_SCRIPT_PATH]);
    // shellcheck is a Debian package installed by .ci/run; a missing binary fails here (ENOENT).
    expect(
      execFileSync("shellcheck", ["--shell=sh", "--severity=style", SETUP_SCRIPT_PATH], {
        encoding: "utf8",
      }),
    ).toBe("");
  });

  it("on a new domain: waits for it, creates the policy, the role and its mapping, all signed", async () => {
    const state = await withFake({ unavailableFor: 2 }, undefined, async (fake) => {
      const result = await setup(fake);
      expect(result.stderr).toContain("GET /: HTTP 503, retrying");
      expect(result.code, result.stderr).toBe(0);
      expect(calls(fake)).toEqual([
        "GET / 503",
        "GET / 503",
        "GET / 200",
        `GET /_plugins/_ism/policies/${ISM_POLICY_ID} 404`,
        `PUT /_plugins/_ism/policies/${ISM_POLICY_ID} 201`,
        `PUT /_plugins/_security/api/roles/${LOG_WRITER_ROLE} 201`,
        `PUT /_plugins/_security/api/rolesmapping/${LOG_WRITER_ROLE} 201`,
        "GET /_cat/indices?format=json&h=index 200",
      ]);
      // Every request carries a valid SigV4 signature for the region and the `es` service,
      // with the session token signed.
      for (const r of fake.requests)
        expect(r.signatureProblems, `${r.method} ${r.url}`).toEqual([]);
      // The bodies sent are the mounted files, byte for byte.
      const sent = (url: string) =>
        fake.requests.find((r) => r.method !== "GET" && r.url === url)!.body;
      expect(sent(`/_plugins/_ism/policies/${ISM_POLICY_ID}`)).toBe(files["ism-policy.json"]);
      expect(sent(`/_plugins/_security/api/roles/${LOG_WRITER_ROLE}`)).toBe(
        files["writer-role.json"],
      );
      expect(sent(`/_plugins/_security/api/rolesmapping/${LOG_WRITER_ROLE}`)).toBe(
        files["writer-role-mapping.json"],
      );
      return fake.state;
    });
    expect(state.mappings.get(LOG_WRITER_ROLE)).toEqual({ backend_roles: [FLUENT_BIT_ROLE] });
    expect(JSON.stringify(state.policies.get(ISM_POLICY_ID)!.body)).toContain(
      `"min_index_age":"${dev.logRetentionDays}d"`,
    );
  });

  it("attaches the policy to log indices that existed before it, and to no other index", async () => {
    const state = emptyDomain([
      `${LOG_INDEX_PREFIX}-2026.11.27`,
      `${LOG_INDEX_PREFIX}-2026.11.28`,
      ".opendistro-ism-config",
      "other-logs-2026.11.28",
    ]);
    await withFake({}, state, async (fake) => {
      const result = await setup(fake);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("attached to 2 existing log indices");
      for (const r of fake.requests)
        expect(r.signatureProblems, `${r.method} ${r.url}`).toEqual([]);
    });
    expect(state.attached).toEqual([
      `add ${LOG_INDEX_PREFIX}-2026.11.27 ${ISM_POLICY_ID}`,
      `add ${LOG_INDEX_PREFIX}-2026.11.28 ${ISM_POLICY_ID}`,
    ]);
    expect(state.indices.get("other-logs-2026.11.28")).toBeUndefined();
  });

  it("re-run: updates the policy with its seq_no and primary term, switches managed indices, converges", async () => {
    const state: FakeDomainState = emptyDomain([`${LOG_INDEX_PREFIX}-2026.11.28`]);
    await withFake({}, state, async (fake) => expect((await setup(fake)).code).toBe(0));
    await withFake({}, state, async (fake) => {
      const result = await setup(fake);
      expect(result.code, result.stderr).toBe(0);
      expect(calls(fake)).toEqual([
        "GET / 200",
        `GET /_plugins/_ism/policies/${ISM_POLICY_ID} 200`,
        `PUT /_plugins/_ism/policies/${ISM_POLICY_ID}?if_primary_term=1&if_seq_no=0 200`,
        `PUT /_plugins/_security/api/roles/${LOG_WRITER_ROLE} 200`,
        `PUT /_plugins/_security/api/rolesmapping/${LOG_WRITER_ROLE} 200`,
        "GET /_cat/indices?format=json&h=index 200",
        `POST /_plugins/_ism/add/${LOG_INDEX_PREFIX}-2026.11.28 200`,
        `POST /_plugins/_ism/change_policy/${LOG_INDEX_PREFIX}-2026.11.28 200`,
      ]);
      for (const r of fake.requests)
        expect(r.signatureProblems, `${r.method} ${r.url}`).toEqual([]);
    });
    expect(state.policies.get(ISM_POLICY_ID)!.seqNo).toBe(1);
    expect([...state.roles.keys()]).toEqual([LOG_WRITER_ROLE]);
    expect(state.indices.get(`${LOG_INDEX_PREFIX}-2026.11.28`)).toBe(ISM_POLICY_ID);
  });

  it("fails the Job, naming the call and the answer, when OpenSearch rejects a body", async () => {
    await withFake({ rejectPath: "/_plugins/_security/api/roles/" }, undefined, async (fake) => {
      const result = await setup(fake);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `PUT /_plugins/_security/api/roles/${LOG_WRITER_ROLE}: unexpected HTTP 400 (expected 200 201)`,
      );
      expect(result.stderr).toContain("rejected by the test");
      // Nothing after the failed call.
      expect(fake.requests.at(-1)!.url).toBe(`/_plugins/_security/api/roles/${LOG_WRITER_ROLE}`);
    });
  });

  it("gives up after MAX_ATTEMPTS while the domain stays unavailable", async () => {
    await withFake({ unavailableFor: 100 }, undefined, async (fake) => {
      const result = await setup(fake, { MAX_ATTEMPTS: "3" });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("GET /: HTTP 503 after 3 attempts");
      expect(calls(fake)).toEqual(["GET / 503", "GET / 503", "GET / 503"]);
    });
  });

  it("is refused (and the fake's check is real) when signing with another secret key", async () => {
    await withFake({}, undefined, async (fake) => {
      writeFileSync(
        join(dir, "wrong.env"),
        `export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}\nexport AWS_SECRET_ACCESS_KEY=not-the-key\nexport AWS_SESSION_TOKEN=${credentials.sessionToken}\n`,
      );
      const result = await setup(fake, {
        CREDENTIALS_FILE: join(dir, "wrong.env"),
        MAX_ATTEMPTS: "1",
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("GET /: HTTP 403 after 1 attempts");
      expect(fake.requests[0]!.signatureProblems.join()).toContain("signature mismatch");
    });
  });

  it("fails before any request without credentials", async () => {
    await withFake({}, undefined, async (fake) => {
      writeFileSync(join(dir, "empty.env"), "");
      const result = await setup(fake, { CREDENTIALS_FILE: join(dir, "empty.env") });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("the credentials file sets no AWS_ACCESS_KEY_ID");
      expect(fake.requests).toEqual([]);
    });
  });
});
