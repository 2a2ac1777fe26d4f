// The one place a model's input row is assembled: contract features picked into the model's
// order, plus context features derived from the flow envelope and the deployment (a home
// network, like Suricata's HOME_NET). Training, `vigil evaluate` and the inference services
// all gather through createModelInput, so a model sees the same numbers everywhere.
import { type Contract, type FlowEnvelope, featureIndex } from '@vigil/contracts';
import { type HomeNet, parseHomeNet } from './home-net';
import { ModelInputError } from './model-input.errors';

export const CONTEXT_FEATURE_PREFIX = 'ctx.';
/** 1 when the envelope's source / destination IP is inside the home net, 0 outside, NaN when the envelope has no IP. */
export const CONTEXT_FEATURES = ['ctx.src_in_home_net', 'ctx.dst_in_home_net'] as const;
export type ContextFeature = (typeof CONTEXT_FEATURES)[number];

export interface ModelInputSpec {
  readonly contract: Contract;
  /** The model's input columns, in order: canonical contract feature names and/or CONTEXT_FEATURES. */
  readonly features: readonly string[];
  /** CIDRs of the home network; required when a context feature is used. */
  readonly homeNet?: readonly string[];
}

export interface GatherArgs {
  /** count × contract features, contract order (a FlowBatch's `features`). */
  readonly features: Float32Array;
  readonly count: number;
  /** One per row; required when needsEnvelopes. */
  readonly envelopes?: readonly FlowEnvelope[];
  /** Optional output buffer of at least count × width values (reused by hot paths). */
  readonly out?: Float32Array;
}

export interface ModelInput {
  readonly width: number;
  /** True when the model reads the contract block as is (no gather needed, no context). */
  readonly identity: boolean;
  readonly needsEnvelopes: boolean;
  readonly homeNet: readonly string[];
  /** count × width row-major model input. */
  gather(args: GatherArgs): Float32Array;
}

type Column = { kind: 'contract'; index: number } | { kind: 'context'; side: 'srcIp' | 'dstIp' };

function columnOf(contract: Contract, name: string): Column | null {
  if (name === 'ctx.src_in_home_net') return { kind: 'context', side: 'srcIp' };
  if (name === 'ctx.dst_in_home_net') return { kind: 'context', side: 'dstIp' };
  const index = featureIndex(contract, name);
  return index >= 0 ? { kind: 'contract', index } : null;
}

function resolveColumns(spec: ModelInputSpec): Column[] {
  const columns = spec.features.map((f) => columnOf(spec.contract, f));
  const unknown = spec.features.filter((_, i) => columns[i] === null);
  if (unknown.length > 0) {
    throw new ModelInputError(`features ${spec.contract.id} does not have: ${unknown.join(', ')}`, { unknown, contract: spec.contract.id });
  }
  return columns as Column[];
}

export function createModelInput(spec: ModelInputSpec): ModelInput {
  const columns = resolveColumns(spec);
  const needsEnvelopes = columns.some((c) => c.kind === 'context');
  const homeNetCidrs = spec.homeNet ?? [];
  if (needsEnvelopes && homeNetCidrs.length === 0) {
    throw new ModelInputError('the model reads home-net context features but no home net (CIDR list) is configured', { features: spec.features });
  }
  const homeNet = parseHomeNet(homeNetCidrs);
  const width = columns.length;
  const contractWidth = spec.contract.features.length;
  const identity = width === contractWidth && columns.every((c, i) => c.kind === 'contract' && c.index === i);
  return {
    width, identity, needsEnvelopes, homeNet: homeNet.cidrs,
    gather: (args) => gather({ args, columns, contractWidth, homeNet, identity }),
  };
}

function gather(a: { args: GatherArgs; columns: Column[]; contractWidth: number; homeNet: HomeNet; identity: boolean }): Float32Array {
  const { features, count, envelopes } = a.args;
  if (a.identity && a.args.out === undefined) return features.subarray(0, count * a.contractWidth);
  const k = a.columns.length;
  const out = a.args.out && a.args.out.length >= count * k ? a.args.out.subarray(0, count * k) : new Float32Array(count * k);
  a.columns.forEach((c, j) => {
    if (c.kind === 'contract') {
      for (let r = 0; r < count; r++) out[r * k + j] = features[r * a.contractWidth + c.index];
      return;
    }
    if (!envelopes || envelopes.length < count) throw new ModelInputError('context features need one envelope per row', { count, envelopes: envelopes?.length ?? 0 });
    for (let r = 0; r < count; r++) {
      const ip = envelopes[r][c.side];
      out[r * k + j] = ip === undefined || ip === '' ? NaN : a.homeNet.contains(ip) ? 1 : 0;
    }
  });
  return out;
}
