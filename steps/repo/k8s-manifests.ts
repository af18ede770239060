// Type-only imports (erased at run time): the object literals below are checked against the
// Kubernetes API types at compile time, so a misspelled or unknown field does not compile.
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import { toYaml } from "./yaml-text.js";
import type { GeneratedFile, TemplateInput } from "./template-input.js";
import {
  appConfigSecretName,
  healthPath,
  imageRegistryPlaceholder,
  manifestPaths,
} from "./template-input.js";

function labels(app: string): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/managed-by": "aks-bootstrap" };
}

export function namespaceManifest({ answers, names }: TemplateInput): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: names.namespace, labels: labels(answers.app) },
  };
}

/**
 * The app's Deployment. The image names a placeholder registry; the CD pipeline points it at
 * its environment's registry and KubernetesManifest@1 `containers` adds the build's tag.
 */
export function deploymentManifest({ answers, names }: TemplateInput): IDeployment {
  const { app } = answers;
  const port = answers.pipeline.containerPort;
  const probe = { httpGet: { path: healthPath, port: "http" } };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: app, labels: labels(app) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { "app.kubernetes.io/name": app } },
      template: {
        metadata: { labels: labels(app) },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              // `name` before `image`: the task only rewrites lines that start with `image:`.
              name: app,
              image: `${imageRegistryPlaceholder}/${names.imageRepository}`,
              ports: [{ name: "http", containerPort: port }],
              env: [
                { name: "PORT", value: String(port) },
                {
                  name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
                  valueFrom: {
                    secretKeyRef: {
                      name: appConfigSecretName(app),
                      key: "APPLICATIONINSIGHTS_CONNECTION_STRING",
                    },
                  },
                },
              ],
              readinessProbe: { ...probe, periodSeconds: 5, failureThreshold: 3 },
              livenessProbe: { ...probe, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
              resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              // A writable /tmp, since the root filesystem is read-only.
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}

/** A public load balancer, so the CD pipeline's acceptance tests can reach the app. */
export function serviceManifest({ answers }: TemplateInput): IService {
  const { app } = answers;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: app, labels: labels(app) },
    spec: {
      type: "LoadBalancer",
      selector: { "app.kubernetes.io/name": app },
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  };
}

export function k8sManifestFiles(input: TemplateInput): GeneratedFile[] {
  return [
    { path: manifestPaths.namespace, body: toYaml(namespaceManifest(input)), mode: "managed" },
    { path: manifestPaths.deployment, body: toYaml(deploymentManifest(input)), mode: "managed" },
    { path: manifestPaths.service, body: toYaml(serviceManifest(input)), mode: "managed" },
  ];
}
