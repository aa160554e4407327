import type { PlanJson } from "./drift.ts";
import type { StateJson } from "./secrets.ts";

/** A diagnostic terraform test reported: severity, text and the HCL it points at. */
export interface Diagnostic {
  readonly run?: string;
  readonly severity: string;
  readonly summary: string;
  readonly detail: string;
  readonly file?: string;
  readonly line?: number;
  readonly code?: string;
}

/** What one `terraform test -json -verbose` run of a root reported, by run block. */
export interface TestEvents {
  /** Run name to its status (`pass`, `fail`, `error`, `skip`) and start/end times (ms). */
  readonly runs: Map<string, { status?: string; start?: number; end?: number }>;
  /** The last state the main configuration reported (after the apply), by run name. */
  readonly states: Map<string, StateJson>;
  readonly plans: Map<string, PlanJson>;
  readonly diagnostics: Diagnostic[];
  /** Resources the teardown could not destroy. */
  readonly leftInState: string[];
  teardownStart?: number;
  end?: number;
}

/** An empty event record. */
export function emptyEvents(): TestEvents {
  return { runs: new Map(), states: new Map(), plans: new Map(), diagnostics: [], leftInState: [] };
}

interface Message {
  "@timestamp"?: string;
  "@testrun"?: string;
  type?: string;
  test_run?: { run: string; progress: string; status?: string };
  test_file?: { progress: string };
  test_state?: StateJson;
  test_plan?: PlanJson;
  test_cleanup?: { failed_resources?: { instance: string }[] };
  diagnostic?: {
    severity: string;
    summary: string;
    detail?: string;
    range?: { filename: string; start: { line: number } };
    snippet?: { code?: string };
  };
}

/** Folds one JSON line of `terraform test -json -verbose` into `events`. */
export function addEvent(events: TestEvents, line: string, hookRuns: ReadonlySet<string>): void {
  if (!line.startsWith("{")) return;
  const message = JSON.parse(line) as Message;
  const at = message["@timestamp"] ? Date.parse(message["@timestamp"]) : undefined;
  const run = message["@testrun"];
  if (message.test_run) {
    const entry = events.runs.get(message.test_run.run) ?? {};
    if (message.test_run.progress === "starting") entry.start = at;
    if (message.test_run.progress === "complete") {
      entry.end = at;
      entry.status = message.test_run.status;
    }
    events.runs.set(message.test_run.run, entry);
  }
  if (message.test_file?.progress === "teardown") events.teardownStart = at;
  if (message.test_file?.progress === "complete") events.end = at;
  if (message.test_state && run && !hookRuns.has(run)) events.states.set(run, message.test_state);
  if (message.test_plan && run) events.plans.set(run, message.test_plan);
  if (message.test_cleanup)
    events.leftInState.push(
      ...(message.test_cleanup.failed_resources ?? []).map((r) => r.instance),
    );
  if (message.diagnostic)
    events.diagnostics.push({
      run,
      severity: message.diagnostic.severity,
      summary: message.diagnostic.summary,
      detail: message.diagnostic.detail ?? "",
      file: message.diagnostic.range?.filename,
      line: message.diagnostic.range?.start.line,
      code: message.diagnostic.snippet?.code,
    });
}

/** The resource type a diagnostic points at (`resource "aws_x" "y"` in its snippet), if any. */
export function diagnosticType(diagnostic: Diagnostic): string | undefined {
  return /(?:resource|data) "([a-z0-9_]+)"/.exec(diagnostic.code ?? "")?.[1];
}

/**
 * Errors that mean moto cannot serve the call (as opposed to a defect in the configuration): moto
 * answers an action it lacks with HTTP 500 (NotImplementedError in its log) and a REST route it
 * lacks with 404.
 */
export function isUnsupportedApi(diagnostic: Diagnostic): boolean {
  return /not (yet )?implemented|NotImplemented|UnknownOperation|InvalidAction|StatusCode: (404|500|501)\b/i.test(
    `${diagnostic.summary} ${diagnostic.detail}`,
  );
}

/**
 * The emulator's own evidence of missing APIs in its log: NotImplementedError messages and REST
 * requests it had no route for (404 on a path that is not an S3 object or bucket read).
 */
export function emulatorGaps(log: string): string[] {
  const notImplemented = [...log.matchAll(/NotImplementedError: (.+)/g)].map((m) => m[1]!.trim());
  const noRoute = [...log.matchAll(/"(POST|PUT|DELETE|PATCH) (\/[^ ]+) HTTP\/1\.1" 404/g)].map(
    (m) => `${m[1]} ${m[2]} → 404 (no such route in moto)`,
  );
  return [...new Set([...notImplemented, ...noRoute])];
}

/**
 * Errors worth one more try: the emulator closed a connection and the provider repeated a call
 * whose first response was lost (a duplicate create), or the connection itself failed.
 */
export function isTransient(diagnostic: Diagnostic): boolean {
  return /Duplicate|AlreadyExists|connection reset|connection refused|EOF|broken pipe|timeout awaiting response/i.test(
    `${diagnostic.summary} ${diagnostic.detail}`,
  );
}
