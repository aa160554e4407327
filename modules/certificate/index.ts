import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Fn, TerraformIterator, Token } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { certificateInputs, type CertificateInputs } from "./inputs.ts";
import { certificateOutputs } from "./outputs.ts";

/**
 * An ACM certificate for the ALB's host names, DNS-validated through records in an existing
 * Route 53 public hosted zone; the output is the ARN once ACM has issued it.
 * @see https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
 */
export const certificate = defineModule({
  name: "certificate",
  description:
    "ACM certificate for the ALB's host names, DNS-validated in an existing Route 53 public hosted zone.",
  inputs: certificateInputs,
  outputs: certificateOutputs,
  build: (scope, vars) => {
    const zone = new DataAwsRoute53Zone(scope, "zone", {
      name: vars.hostedZone,
      privateZone: false,
    });
    const cert = new AcmCertificate(scope, "certificate", {
      domainName: Fn.element(vars.domainNames, 0),
      subjectAlternativeNames: vars.domainNames,
      validationMethod: "DNS",
      keyAlgorithm: "EC_prime256v1",
      tags: { Name: `${vars.name}-alb` },
      // A replacement must exist before the ALB's listener lets go of the old one.
      lifecycle: { createBeforeDestroy: true },
    });
    // One record per distinct validation name (names of a certificate may share one).
    const options = TerraformIterator.fromComplexList(cert.domainValidationOptions, "domain_name");
    const records = new Route53Record(scope, "validation", {
      forEach: options,
      zoneId: zone.zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(scope, "validation-wait", {
      certificateArn: cert.arn,
      validationRecordFqdns: Token.asList(
        TerraformIterator.fromResources(records).pluckProperty("fqdn"),
      ),
    });
    // The same expressions as cdktf renders them, spaced as `terraform fmt` writes them (the
    // committed HCL must be fmt-clean; cdktf's own text has `[ for` and `val:`).
    records.addOverride(
      "for_each",
      `\${{ for o in ${cert.terraformResourceType}.${cert.friendlyUniqueId}.domain_validation_options : o.domain_name => o }}`,
    );
    validation.addOverride(
      "validation_record_fqdns",
      `\${[for r in ${records.terraformResourceType}.${records.friendlyUniqueId} : r.fqdn]}`,
    );
    return { certificateArn: validation.certificateArn };
  },
});

export type { CertificateInputs };
