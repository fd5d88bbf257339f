// Job definitions named by a hash of their content and reused while an active one exists, so
// repeated runs do not pile up revisions.
import { createHash } from "node:crypto";
import { DescribeJobDefinitionsCommand, RegisterJobDefinitionCommand, type BatchClient } from "@aws-sdk/client-batch";
import { withRetry } from "../../datastore/s3/retry";

export interface JobDefinitionSpec {
  image: string;
  jobRole?: string;
  executionRole?: string;
  platform: "EC2" | "FARGATE";
}

function definitionBody(spec: JobDefinitionSpec): Record<string, unknown> {
  const container: Record<string, unknown> = {
    image: spec.image,
    // The real command and sizes come with each job (containerOverrides); these are the floor.
    command: ["echo", "flowlens: the command comes from containerOverrides"],
    resourceRequirements: [
      { type: "VCPU", value: spec.platform === "FARGATE" ? "0.25" : "1" },
      { type: "MEMORY", value: spec.platform === "FARGATE" ? "512" : "1024" },
    ],
  };
  if (spec.jobRole) container.jobRoleArn = spec.jobRole;
  if (spec.executionRole) container.executionRoleArn = spec.executionRole;
  if (spec.platform === "FARGATE") {
    container.networkConfiguration = { assignPublicIp: "ENABLED" };
    container.fargatePlatformConfiguration = { platformVersion: "LATEST" };
  }
  return container;
}

export function jobDefinitionName(spec: JobDefinitionSpec): string {
  const body = JSON.stringify({ v: 1, platform: spec.platform, container: definitionBody(spec) });
  return `flowlens-${createHash("sha1").update(body).digest("hex").slice(0, 20)}`;
}

/** Returns the ARN (name:revision) of an active definition with this content, registering one if needed. */
export async function ensureJobDefinition(client: BatchClient, spec: JobDefinitionSpec): Promise<{ arn: string; registered: boolean }> {
  const name = jobDefinitionName(spec);
  const found = await withRetry(() => client.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: name, status: "ACTIVE" })));
  const active = (found.jobDefinitions ?? []).filter((d) => d.status === "ACTIVE" && d.jobDefinitionArn).sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
  const existing = active[0]?.jobDefinitionArn;
  if (existing) return { arn: existing, registered: false };
  const out = await withRetry(() =>
    client.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: name,
        type: "container",
        platformCapabilities: [spec.platform],
        containerProperties: definitionBody(spec),
        tags: { "flowlens:managed": "true" },
      }),
    ),
  );
  if (!out.jobDefinitionArn) throw new Error(`AWS Batch registered job definition ${name} without returning its ARN`);
  return { arn: out.jobDefinitionArn, registered: true };
}
