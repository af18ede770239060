import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { validate as validateDeployment } from "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment";
import { validate as validateNamespace } from "kubernetes-models/_schemas/IoK8sApiCoreV1Namespace";
import { validate as validateService } from "kubernetes-models/_schemas/IoK8sApiCoreV1Service";
import { fileText, managedFiles } from "../../steps/repo/generated-files.js";
import { manifestPaths } from "../../steps/repo/template-input.js";
import { templateInput } from "./fixtures.js";
import { unknownFields, type SchemaValidate } from "./k8s-strict.js";

const kinds = {
  [manifestPaths.namespace]: { Model: Namespace, schema: validateNamespace as SchemaValidate },
  [manifestPaths.deployment]: { Model: Deployment, schema: validateDeployment as SchemaValidate },
  [manifestPaths.service]: { Model: Service, schema: validateService as SchemaValidate },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, probed by path
type Obj = Record<string, any>;

function manifest(path: string, input = templateInput()): Obj {
  const file = managedFiles(input).find((f) => f.path === path);
  return parse(fileText(file!)) as Obj;
}

describe("Kubernetes manifests", () => {
  for (const [path, { Model, schema }] of Object.entries(kinds)) {
    it(`${path} validates with kubernetes-models and has no unknown field`, () => {
      // Given the pushed manifest (header comment included) When parsed
      const obj = manifest(path);
      // Then the model validates and every field is one the API knows
      expect(() => new Model(obj as never).validate()).not.toThrow();
      expect(unknownFields(schema, obj)).toEqual([]);
    });
  }

  it("the strict check reports an unknown field and the model rejects a wrong type (the checks can fail)", () => {
    const bad = manifest(manifestPaths.deployment);
    bad.spec.template.spec.containers[0].imagePullPolicyy = "Always";
    expect(unknownFields(validateDeployment as SchemaValidate, bad)).toEqual([
      "$.spec.template.spec.containers[0].imagePullPolicyy",
    ]);
    bad.spec.replicas = "two";
    expect(() => new Deployment(bad as never).validate()).toThrow();
  });

  it("the Deployment runs non-root with probes on /health, resources and the App Insights secret", () => {
    const d = manifest(manifestPaths.deployment, templateInput({ pipeline: { containerPort: 3000 } }));
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(c.ports).toEqual([{ name: "http", containerPort: 3000 }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/health", port: "http" });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    expect(c.env).toContainEqual({
      name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
      valueFrom: { secretKeyRef: { name: "demo-appinsights", key: "APPLICATIONINSIGHTS_CONNECTION_STRING" } },
    });
  });

  it("puts the image on its own `image:` line naming the placeholder registry, as KubernetesManifest rewrites it", () => {
    const text = fileText(managedFiles(templateInput()).find((f) => f.path === manifestPaths.deployment)!);
    expect(text).toMatch(/\n {10}image: REGISTRY_LOGIN_SERVER\/demo\n/);
  });

  it("the namespace is the answers' namespace and the Service selects the Deployment's pods", () => {
    const input = templateInput({ pipeline: { namespace: "shop" } });
    expect(manifest(manifestPaths.namespace, input).metadata.name).toBe("shop");
    const svc = manifest(manifestPaths.service, input);
    const dep = manifest(manifestPaths.deployment, input);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(svc.spec.ports[0].targetPort).toBe("http");
  });
});
