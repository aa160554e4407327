import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The runner itself is shared with the offline rehearsal.
export { init, terraform, terraformBinary } from "../scripts/terraform-cli.ts";
import { init, terraform } from "../scripts/terraform-cli.ts";

/** Result of `terraform validate -json`. */
export interface ValidateResult {
  readonly valid: boolean;
  readonly warning_count: number;
  readonly error_count: number;
  readonly diagnostics: {
    severity: string;
    summary: string;
    detail?: string;
    range?: { filename: string };
  }[];
}

/** Initializes and validates the configuration in `dir`. */
export async function validate(dir: string): Promise<ValidateResult> {
  await init(dir);
  const result = await terraform(dir, ["validate", "-json", "-no-color"]);
  return JSON.parse(result.stdout) as ValidateResult;
}

/** Copies a folder tree to a fresh temporary folder (terraform writes .terraform/ into it). */
export function scratchCopy(source: string): string {
  const target = mkdtempSync(join(tmpdir(), "expense-tf-"));
  cpSync(source, target, { recursive: true });
  return target;
}

/** Runs `task` over `items` with at most `limit` at a time (terraform is CPU- and IO-heavy). */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One-line summary of a validation's diagnostics, for failure messages. */
export function describeDiagnostics(result: ValidateResult): string {
  return result.diagnostics
    .map(
      (d) =>
        `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ""}${d.range ? ` at ${d.range.filename}` : ""}`,
    )
    .join("\n");
}
