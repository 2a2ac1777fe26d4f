import { type FlowBatchMessage, decodeFlowBatchMessage } from '@vigil/contracts';
import { type StageSpec } from '@vigil/inference';
import { FlowScoringService } from './flow-scoring.service';

/** Flow batches in (durable `detection` on FLOWS), one detection result per batch out. */
export const detectionStage: StageSpec<FlowBatchMessage> = {
  stage: 'detection', task: 'detect', contracts: ['nsl-kdd', 'cicflowmeter'], durable: 'detection',
  input: 'FLOWS', output: 'DETECTIONS', payloadType: 'detection-batch.v2', drift: true,
  decode: (data) => {
    const message = decodeFlowBatchMessage(data);
    return { value: message, flows: message.header.count, contract: message.contract.id };
  },
  scorer: (deps) => new FlowScoringService(deps),
};
