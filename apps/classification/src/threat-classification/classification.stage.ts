import { type DetectionBatchMessage, decodeDetectionBatchMessage } from '@vigil/contracts';
import { type StageSpec } from '@vigil/inference';
import { ThreatClassificationService } from './threat-classification.service';

/** Detection results in (durable `classification` on DETECTIONS), one threat batch per batch that flagged any out. */
export const classificationStage: StageSpec<DetectionBatchMessage> = {
  stage: 'classification', task: 'classify', contracts: ['nsl-kdd', 'cicflowmeter'], durable: 'classification',
  input: 'DETECTIONS', output: 'THREATS', payloadType: 'threat-batch.v1', explain: true,
  decode: (data) => {
    const message = decodeDetectionBatchMessage(data);
    return { value: message, flows: message.header.flagged.length, contract: message.contract.id };
  },
  scorer: (deps) => new ThreatClassificationService(deps),
};
