import { describe, expect, it } from "vitest";
import {
  addEvent,
  diagnosticType,
  emptyEvents,
  emulatorGaps,
  isTransient,
  isUnsupportedApi,
} from "./events.ts";

const line = (message: Record<string, unknown>) => JSON.stringify(message);

describe("terraform test events", () => {
  it("collects run status and times, the main state (not the hooks'), plans and teardown leftovers", () => {
    const events = emptyEvents();
    const hooks = new Set(["check"]);
    for (const message of [
      { "@timestamp": "2026-11-28T05:00:00Z", test_run: { run: "apply", progress: "starting" } },
      {
        "@timestamp": "2026-11-28T05:01:40Z",
        test_run: { run: "apply", progress: "complete", status: "pass" },
      },
      { "@testrun": "apply", test_state: { root_module: { resources: [] } } },
      { "@testrun": "check", test_state: { root_module: {} } },
      { "@testrun": "replan", test_plan: { resource_changes: [] } },
      { "@timestamp": "2026-11-28T05:03:00Z", test_file: { progress: "teardown" } },
      { test_cleanup: { failed_resources: [{ instance: "aws_s3_bucket.state" }] } },
    ])
      addEvent(events, line(message), hooks);
    addEvent(events, "not json", hooks);
    const apply = events.runs.get("apply")!;
    expect(apply.status).toBe("pass");
    expect(apply.end! - apply.start!).toBe(100_000);
    expect([...events.states.keys()]).toEqual(["apply"]);
    expect([...events.plans.keys()]).toEqual(["replan"]);
    expect(events.leftInState).toEqual(["aws_s3_bucket.state"]);
    expect(events.teardownStart).toBe(Date.parse("2026-11-28T05:03:00Z"));
  });

  it("names the resource type of a failing call and tells an emulator gap from a lost response", () => {
    const events = emptyEvents();
    addEvent(
      events,
      line({
        "@testrun": "apply",
        diagnostic: {
          severity: "error",
          summary: "creating EKS Access Entry (c:r)",
          detail:
            "operation error EKS: CreateAccessEntry, https response error StatusCode: 404, RequestID: , api error UnknownError",
          range: { filename: "../../modules/eks/main.tf", start: { line: 268 } },
          snippet: { code: 'resource "aws_eks_access_entry" "access_admin_entries" {' },
        },
      }),
      new Set(),
    );
    const [diagnostic] = events.diagnostics;
    expect(diagnosticType(diagnostic!)).toBe("aws_eks_access_entry");
    expect(isUnsupportedApi(diagnostic!)).toBe(true);
    expect(isTransient(diagnostic!)).toBe(false);
    const duplicate = {
      severity: "error",
      summary: "creating Security Group (x): InvalidGroup.Duplicate",
      detail: "",
    };
    expect(isTransient(duplicate)).toBe(true);
    expect(isUnsupportedApi(duplicate)).toBe(false);
  });

  it("finds the emulator's own record of calls it lacks in its log", () => {
    const log = [
      '127.0.0.1 - - [28/Nov/2026 05:27:28] "GET /bucket?policy= HTTP/1.1" 404 -',
      '    raise NotImplementedError(f"The {action} action has not been implemented")',
      "NotImplementedError: The create_cache_parameter_group action has not been implemented",
      '127.0.0.1 - - [28/Nov/2026 05:27:29] "POST /clusters/c/access-entries HTTP/1.1" 404 -',
    ].join("\n");
    expect(emulatorGaps(log)).toEqual([
      "The create_cache_parameter_group action has not been implemented",
      "POST /clusters/c/access-entries → 404 (no such route in moto)",
    ]);
  });
});
