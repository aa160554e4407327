import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { defineModule } from "./module.ts";
import { stringOutput } from "./outputs.ts";
import { Stack } from "./stack.ts";
import { common, type InputSpec } from "./variables.ts";

interface NameOnly {
  name: string;
}
const nameOnly: InputSpec<NameOnly> = {
  name: common.name("Prefix of every name, e.g. expense-dev."),
};
const outputs = { arn: stringOutput("ARN of the thing the module creates.") } as const;

const withRole = defineModule({
  name: "with-role",
  description: "A module that creates one IAM role.",
  inputs: nameOnly,
  outputs,
  build: (scope, vars) => {
    const role = new IamRole(scope, "role", { name: vars.name, assumeRolePolicy: "{}" });
    return { arn: role.arn };
  },
});

const withoutRole = defineModule({
  name: "without-role",
  description: "A module that creates no IAM role.",
  inputs: nameOnly,
  outputs,
  build: (scope, vars) => ({ arn: new SnsTopic(scope, "topic", { name: vars.name }).arn }),
});

type Json = {
  variable?: Record<string, unknown>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  module?: Record<string, Record<string, unknown>>;
};
const synth = (stack: Stack) => JSON.parse(Testing.synth(stack)) as Json;

describe("defineModule: the permissions boundary input", () => {
  it("adds permissions_boundary_arn to a module that creates roles and sets every role's boundary from it", () => {
    const json = synth(withRole.synthesize(Testing.app()) as Stack);
    expect(Object.keys(json.variable!)).toEqual(["name", "permissions_boundary_arn"]);
    expect(json.resource!.aws_iam_role!.role!.permissions_boundary).toBe(
      "${(length(var.permissions_boundary_arn) < 1) ? null : var.permissions_boundary_arn}",
    );
    expect(Object.keys(withRole.inputs)).toEqual(["permissionsBoundaryArn", "name"]);
  });

  it("adds nothing to a module without roles, and rejects a boundary passed to it", () => {
    const json = synth(withoutRole.synthesize(Testing.app()) as Stack);
    expect(Object.keys(json.variable!)).toEqual(["name"]);
    const root = new Stack(Testing.app(), "root");
    expect(() =>
      withoutRole.call(root, "without", {
        name: "expense-dev",
        permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary",
      }),
    ).toThrow(
      "module without-role creates no IAM roles, so it has no permissionsBoundaryArn input",
    );
  });

  it("passes and validates the boundary at a call of a module that creates roles", () => {
    const root = new Stack(Testing.app(), "root");
    withRole.call(root, "with", {
      name: "expense-dev",
      permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundary",
    });
    expect(synth(root).module!.with!.permissions_boundary_arn).toBe(
      "arn:aws:iam::123456789012:policy/boundary",
    );
    expect(() =>
      withRole.call(new Stack(Testing.app(), "root"), "with", {
        name: "expense-dev",
        permissionsBoundaryArn: "boundary",
      }),
    ).toThrow(/permissionsBoundaryArn/);
  });

  it("fails the synth when a role ends up without the boundary", () => {
    const removed = defineModule({
      ...withRole.props,
      name: "boundary-removed",
      build: (scope, vars) => {
        const role = new IamRole(scope, "role", { name: vars.name, assumeRolePolicy: "{}" });
        role.addOverride("permissions_boundary", undefined);
        return { arn: role.arn };
      },
    });
    const stack = removed.synthesize(Testing.app());
    expect(() => Testing.synth(stack, true)).toThrow(
      "module boundary-removed: aws_iam_role.role has no permissions boundary",
    );
  });

  it("refuses a module that still declares the input by hand", () => {
    const byHand = defineModule({
      ...withRole.props,
      name: "by-hand",
      // What the modules wrote before the kit added it (the type no longer allows it).
      inputs: {
        ...nameOnly,
        permissionsBoundaryArn: common.permissionsBoundaryArn(),
      } as unknown as InputSpec<NameOnly>,
    });
    expect(() => byHand.synthesize(Testing.app())).toThrow(
      "module by-hand: drop permissionsBoundaryArn from its inputs",
    );
  });
});
