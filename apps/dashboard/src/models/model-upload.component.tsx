import { useState } from 'preact/hooks';
import { API } from '../api/api.routes';
import { describeError } from '../api/api.errors';
import { type ModelVersionInfo } from '../api/api.types';
import { useApp } from '../app/app.context';
import { ErrorBox, Panel } from '../app/ui.component';
import { can } from '../auth/role.gate';
import { readManifest } from './models.state';

/** Upload of a new version: the manifest (JSON) and the ONNX file; the registry validates both. */
export function ModelUploadForm({ onUploaded }: { onUploaded(): void }) {
  const { api, who, announce } = useApp();
  const [manifest, setManifest] = useState<File | null>(null);
  const [model, setModel] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!can(who.role, 'manageModels')) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!manifest || !model) return setError('Pick the manifest.json and the model.onnx file.');
    const parsed = readManifest(await manifest.text());
    if ('error' in parsed) return setError(parsed.error);
    setBusy(true);
    try {
      const form = new FormData();
      form.append('manifest', new Blob([JSON.stringify(parsed.manifest)], { type: 'application/json' }), 'manifest.json');
      form.append('model', model, model.name);
      const info = await api.postForm<ModelVersionInfo>(API.modelVersions(String(parsed.manifest.name)), form);
      announce(`${info.name} v${info.version} uploaded and validated.`);
      setError(null);
      onUploaded();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Upload a model version">
      <form class="form form-inline" onSubmit={(e) => void submit(e)}>
        <label class="field"><span>Manifest (JSON)</span><input type="file" name="manifest" accept=".json,application/json" onChange={(e) => setManifest((e.target as HTMLInputElement).files?.[0] ?? null)} /></label>
        <label class="field"><span>Model (ONNX)</span><input type="file" name="model" accept=".onnx" onChange={(e) => setModel((e.target as HTMLInputElement).files?.[0] ?? null)} /></label>
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Validating…' : 'Upload'}</button>
      </form>
      <ErrorBox message={error} />
    </Panel>
  );
}
