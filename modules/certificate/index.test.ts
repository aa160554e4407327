import { describe, expect, it } from "vitest";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { certificate } from "./index.ts";

const { json } = synthModule(certificate as never);

describe("certificate module", () => {
  it("requests a DNS-validated certificate for every name, the first as subject", () => {
    expect(resourceOf(json, "aws_acm_certificate", "certificate")).toMatchObject({
      domain_name: "${element(var.domain_names, 0)}",
      subject_alternative_names: "${var.domain_names}",
      validation_method: "DNS",
      lifecycle: { create_before_destroy: true },
    });
  });

  it("writes one validation record per name into the zone and outputs the ARN only once issued", () => {
    expect(resourceOf(json, "aws_route53_record", "validation")).toMatchObject({
      zone_id: "${data.aws_route53_zone.zone.zone_id}",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      for_each:
        "${{ for o in aws_acm_certificate.certificate.domain_validation_options : o.domain_name => o }}",
    });
    expect(json.data?.aws_route53_zone?.zone).toMatchObject({
      name: "${var.hosted_zone}",
      private_zone: false,
    });
    expect(resourceOf(json, "aws_acm_certificate_validation", "validation_wait")).toMatchObject({
      certificate_arn: "${aws_acm_certificate.certificate.arn}",
      validation_record_fqdns: "${[for r in aws_route53_record.validation : r.fqdn]}",
    });
    expect(json.output?.certificate_arn?.value).toBe(
      "${aws_acm_certificate_validation.validation_wait.certificate_arn}",
    );
  });
});
