import { CONTRACT_SAMPLES, contractSamplePath, readFlowFile } from '@vigil/contracts';
import { defaultModelsDir, loadShippedModel } from '@vigil/inference';
import { gateSharingClassifier, wholeClassifier } from './analyze.classifier';

describe('gate-sharing classifier', () => {
  it('gives the shipped NSL-KDD gated classifier\'s probabilities bit for bit on every flagged committed sample row', async () => {
    const modelsDir = defaultModelsDir(__dirname);
    const detector = await loadShippedModel({ modelsDir, name: 'threat-detector-nsl-kdd' });
    const whole = await loadShippedModel({ modelsDir, name: 'attack-classifier-nsl-kdd' });
    const shared = await gateSharingClassifier({ manifest: whole.manifest, onnx: whole.onnx, detector });
    try {
      expect(shared?.sharesDetectorGate).toBe(true);
      expect(shared?.classLabels).toEqual(whole.classLabels);
      let compared = 0;
      for await (const b of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.nslKdd), { batchSize: 128 })) {
        const det = await detector.run(b.features, b.count, b.envelopes);
        const rows = [...Array(b.count).keys()].filter((r) => det.decisions?.[r] === 1);
        if (rows.length === 0) continue;
        const w = b.contract.features.length;
        const features = new Float32Array(rows.length * w);
        rows.forEach((r, i) => features.set(b.features.subarray(r * w, (r + 1) * w), i * w));
        const envelopes = rows.map((r) => b.envelopes[r]);
        const expected = Array.from((await wholeClassifier(whole).run({ features, count: rows.length, envelopes, rows, detector: det })).probabilities);
        const got = await (shared as NonNullable<typeof shared>).run({ features, count: rows.length, envelopes, rows, detector: det });
        expect(Array.from(got.probabilities)).toEqual(expected);
        compared += rows.length;
      }
      expect(compared).toBeGreaterThan(100);
    } finally {
      await Promise.all([detector.release(), whole.release(), shared?.release()]);
    }
  });

  it('declines a classifier that is not gated on that detector (the CIC pair runs whole)', async () => {
    const modelsDir = defaultModelsDir(__dirname);
    const detector = await loadShippedModel({ modelsDir, name: 'threat-detector-cicflowmeter' });
    const cls = await loadShippedModel({ modelsDir, name: 'attack-classifier-cicflowmeter' });
    const nsl = await loadShippedModel({ modelsDir, name: 'attack-classifier-nsl-kdd' });
    try {
      expect(await gateSharingClassifier({ manifest: cls.manifest, onnx: cls.onnx, detector })).toBeUndefined();
      // Gated, but on another contract's detector.
      expect(await gateSharingClassifier({ manifest: nsl.manifest, onnx: nsl.onnx, detector })).toBeUndefined();
    } finally {
      await Promise.all([detector.release(), cls.release(), nsl.release()]);
    }
  });
});
