import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/** Version constraint modules declare for the AWS provider (what root stacks pin must satisfy it). */
export const AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 6.0.0";

/** Terraform version the generated configurations are written and validated for. */
export const TERRAFORM_VERSION_CONSTRAINT = ">= 1.11.0";

/**
 * Renders only `terraform.required_providers` for one provider. A reusable module must not
 * configure providers (its caller passes them), but CDKTF refuses resources in a stack without a
 * provider construct; this satisfies that check and emits no `provider` block.
 * @see https://developer.hashicorp.com/terraform/language/modules/develop/providers
 */
export class RequiredProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    private readonly providerName: string,
    private readonly source: string,
    private readonly version: string,
  ) {
    super(scope, `required-${providerName}`, {
      terraformResourceType: providerName,
      terraformProviderSource: source,
      terraformGeneratorMetadata: { providerName, providerVersionConstraint: version },
    });
  }

  override toTerraform(): unknown {
    return {
      terraform: {
        required_providers: { [this.providerName]: { source: this.source, version: this.version } },
      },
    };
  }

  override toHclTerraform(): unknown {
    return this.toTerraform();
  }
}
