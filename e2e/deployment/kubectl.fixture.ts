import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** A rendered Kubernetes object, loosely typed: specs narrow what they read. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const INSTALL_HINT =
  'kubectl (with kustomize v5, i.e. kubectl >= 1.27) is needed to render k8s/ and is not on PATH. ' +
  'Install it with `bash k8s/install-kubectl.sh` (what CI runs), or point KUBECTL at a binary.';

// KUBECONFIG=/dev/null: nothing here may ever reach a real cluster.
function kubectl(args: string[], input?: string): string {
  const binary = process.env['KUBECTL'] ?? 'kubectl';
  const result = spawnSync(binary, args, {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: '/dev/null' },
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(INSTALL_HINT);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

// `kubectl annotate --local -o json` prints each object as indented JSON whose closing brace
// is the only `}` in column 0; that is where one object ends and the next begins.
function splitJsonObjects(text: string): K8sObject[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return JSON.parse(`[${trimmed.replace(/^}\s*\n\{/gm, '},\n{')}]`) as K8sObject[];
}

/**
 * YAML to objects through kubectl itself (no YAML library is a dependency): a no-op local
 * annotate parses every document, anchors and merge keys included, and prints JSON, with
 * no cluster involved. It adds an empty `metadata.annotations` map where there was none.
 */
export function yamlToObjects(yaml: string): K8sObject[] {
  return splitJsonObjects(kubectl(['annotate', '--local', '-f', '-', '-o', 'json', 'vigil.dev/render-check-'], yaml));
}

/** Reads a YAML file that is not a Kubernetes object (e.g. compose.yaml) into plain data. */
export function yamlFileToData(file: string, readText: (file: string) => string): Record<string, unknown> {
  const header = 'apiVersion: v1\nkind: VigilYamlDocument\nmetadata: {name: document}\n';
  const [object] = yamlToObjects(header + readText(file));
  if (!object) throw new Error(`${file} holds no YAML document`);
  const { apiVersion: _a, kind: _k, metadata: _m, ...data } = object;
  return data;
}

/** Renders `k8s/overlays/<overlay>` with kubectl's kustomize. */
export function renderOverlay(overlay: string): K8sObject[] {
  return yamlToObjects(kubectl(['kustomize', path.join('k8s', 'overlays', overlay)]));
}

export function kustomizeVersion(): string {
  return kubectl(['version', '--client']).match(/Kustomize Version:\s*(\S+)/)?.[1] ?? 'unknown';
}
