import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trainSampleModels } from '@vigil/inference';
import { deletePipelineStreams, expectServiceLifecycle, expectServiceUnready, uniqueName } from '@vigil/testing';

// Real models trained from the committed samples, and a private pipeline prefix for the streams.
const modelsDir = mkdtempSync(path.join(tmpdir(), 'vigil-detection-models-'));
const prefix = uniqueName('detection').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);

afterAll(async () => {
  rmSync(modelsDir, { recursive: true, force: true });
  await deletePipelineStreams(prefix);
});

describe('detection process', () => {
  beforeAll(() => trainSampleModels(modelsDir));

  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', () =>
    expectServiceLifecycle({
      app: 'detection',
      env: { MODELS_DIR: modelsDir, PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files' },
      readinessChecks: ['migrations', 'models', 'nats', 'postgres'],
    }));

  it('stays unready, naming the missing model and its code, when the models folder has none', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'vigil-no-models-'));
    try {
      await expectServiceUnready({
        app: 'detection',
        env: { MODELS_DIR: empty, PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files' },
        failedCheck: 'models',
        errorContains: 'no version of model',
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
