import { describe, expect, it } from 'vitest';
import { formatProblem, validateManifests } from './index.ts';

// Manifests as teams write them, one of each common kind, with the fields that tempt a validator
// into false alarms: free-form maps, embedded templates, int-or-string, quantities, CRD schemas.
const COMMON = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: web } }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: web, namespace: shop, annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/web" } }
---
apiVersion: v1
kind: Secret
metadata: { name: web-secret }
type: Opaque
stringData: { password: hunter2 }
data: { token: aGVsbG8= }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 10Gi } }
  storageClassName: fast
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db }, annotations: { prometheus.io/scrape: "true" } }
    spec:
      securityContext: { runAsNonRoot: true, fsGroup: 999 }
      containers:
        - name: db
          image: postgres:16
          env:
            - { name: PGDATA, value: /data/pgdata }
            - name: PASSWORD
              valueFrom: { secretKeyRef: { name: web-secret, key: password } }
          ports: [{ name: pg, containerPort: 5432, protocol: TCP }]
          readinessProbe: { tcpSocket: { port: pg }, periodSeconds: 5 }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 }, initialDelaySeconds: 10 }
          resources: { limits: { cpu: "2", memory: 1Gi }, requests: { cpu: 500m, memory: 512Mi } }
          volumeMounts: [{ name: data, mountPath: /data }]
      tolerations: [{ key: dedicated, operator: Equal, value: db, effect: NoSchedule }]
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: { matchLabels: { app: db } }
              topologyKey: kubernetes.io/hostname
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 20Gi } } }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  selector: { matchLabels: { app: agent } }
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 10% } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      hostNetwork: true
      containers: [{ name: agent, image: "agent@sha256:${'a'.repeat(64)}", args: ["--v=2"] }]
      volumes: [{ name: proc, hostPath: { path: /proc } }, { name: cfg, configMap: { name: cfg, items: [{ key: a, path: a }] } }]
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly-report }
spec:
  schedule: "0 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{ name: report, image: report:1, command: [/bin/report] }]
---
apiVersion: batch/v1
kind: Job
metadata: { name: migrate, annotations: { argocd.argoproj.io/hook: PreSync } }
spec:
  ttlSecondsAfterFinished: 600
  template:
    spec:
      restartPolicy: Never
      initContainers: [{ name: wait, image: busybox, command: [sh, -c, "sleep 1"] }]
      containers: [{ name: migrate, image: migrate:1 }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }, { ipBlock: { cidr: 10.0.0.0/8 } }]
      ports: [{ port: 5432, protocol: TCP }]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: db }
spec: { minAvailable: 50%, selector: { matchLabels: { app: db } } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: reader }
rules: [{ apiGroups: [""], resources: [pods, configmaps], verbs: [get, list, watch] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: web-reader }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader }
subjects: [{ kind: ServiceAccount, name: web, namespace: shop }]
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: quota }
spec: { hard: { requests.cpu: "10", pods: "50" } }
---
apiVersion: v1
kind: LimitRange
metadata: { name: limits }
spec: { limits: [{ type: Container, default: { cpu: 500m }, defaultRequest: { cpu: 100m } }] }
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: { name: high }
value: 1000
globalDefault: false
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast }
provisioner: ebs.csi.aws.com
parameters: { type: gp3 }
reclaimPolicy: Retain
allowVolumeExpansion: true
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns: [{ name: Size, type: integer, jsonPath: .spec.size }]
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              description: The widget's desired state.
              x-kubernetes-preserve-unknown-fields: true
              properties:
                size: { type: integer, minimum: 1, default: 3 }
                labels: { type: object, additionalProperties: { type: string } }
              required: [size]
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
spec: { size: 2, whatever: [1, 2] }
`;

describe('common kinds', () => {
  it('accepts realistic manifests of the common built-in kinds, a CRD and its custom resource', async () => {
    const { objects, problems } = await validateManifests([
      { path: 'all.yaml', content: new TextEncoder().encode(COMMON) },
    ]);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(objects).toHaveLength(18);
  });

  it('still reports unknown fields in a CRD outside its JSON schemas', async () => {
    const crd = COMMON.slice(COMMON.indexOf('apiVersion: apiextensions.k8s.io/v1')).split('---')[0] as string;
    const typo = crd.replace('  scope: Namespaced', '  scoope: Namespaced');
    const { problems } = await validateManifests([
      { path: 'crd.yaml', content: new TextEncoder().encode(typo) },
    ]);
    expect(problems.map(formatProblem)).toEqual([
      'crd.yaml:4: spec.scope is required',
      'crd.yaml:7: spec.scoope is not a field of apiextensions.k8s.io/v1 CustomResourceDefinition',
    ]);
  });
});
