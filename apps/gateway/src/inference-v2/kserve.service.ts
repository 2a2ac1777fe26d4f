import { Injectable } from '@nestjs/common';
import { type ModelVersionInfo } from '@vigil/contracts';
import { MAX_INFER_ROWS } from '@vigil/registry-client';
import { InvalidRequestError } from '../http/http.errors';
import { manifestOf, ModelsService } from '../models/models.service';
import { INPUT_NAME, type KServeInferRequest, type KServeInferResponse, type ModelMetadata, OUTPUT_NAMES } from './kserve.schemas';

type Nested = number | null | Nested[];

function flatten(data: readonly Nested[], out: (number | null)[] = []): (number | null)[] {
  for (const v of data) {
    if (Array.isArray(v)) flatten(v, out);
    else out.push(v);
  }
  return out;
}

/**
 * KServe v2 Open Inference Protocol over the registry: metadata from the version's manifest,
 * inference by `registry.infer` (the registry runs the ONNX session; the gateway runs none).
 * One input, FP32, shape [rows, features] in the manifest's feature order; outputs `label`
 * (BYTES, the class label under the manifest's decision rule) and `probabilities` (FP32).
 */
@Injectable()
export class KServeService {
  constructor(private readonly models: ModelsService) {}

  async metadata(name: string, version?: number): Promise<ModelMetadata> {
    const info = await this.resolve(name, version);
    const versions = (await this.models.ask<ModelVersionInfo[]>('listVersions', { name, limit: 1000 })).map((v) => String(v.version));
    const m = manifestOf(info);
    return {
      name, versions, platform: 'onnxruntime_onnx',
      inputs: [{ name: INPUT_NAME, datatype: 'FP32', shape: [-1, m.features.length] }],
      outputs: [{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, m.classLabels.length] }],
      parameters: { version: info.version, task: m.task, contract: m.contract, features: m.features, classLabels: m.classLabels, threshold: m.threshold },
    };
  }

  async ready(name: string, version?: number): Promise<{ name: string; version: string; ready: true }> {
    const info = await this.resolve(name, version);
    return { name, version: String(info.version), ready: true };
  }

  async infer(args: { name: string; version?: number; request: KServeInferRequest }): Promise<KServeInferResponse> {
    const { request } = args;
    if (request.inputs.length !== 1) throw new InvalidRequestError(`the model takes one input tensor (${INPUT_NAME}), got ${request.inputs.length}`);
    const input = request.inputs[0]!;
    if (input.datatype !== 'FP32') throw new InvalidRequestError(`input ${input.name}: datatype must be FP32, got ${input.datatype}`);
    if (input.shape.length !== 2) throw new InvalidRequestError(`input ${input.name}: shape must be [rows, features], got [${input.shape.join(', ')}]`);
    const [rows, width] = input.shape as [number, number];
    if (rows < 1 || rows > MAX_INFER_ROWS) throw new InvalidRequestError(`input ${input.name}: 1 to ${MAX_INFER_ROWS} rows per request, got ${rows}`);
    const data = flatten(input.data);
    if (data.length !== rows * width) throw new InvalidRequestError(`input ${input.name}: shape [${rows}, ${width}] needs ${rows * width} values, data has ${data.length}`);
    const wanted = request.outputs?.map((o) => o.name) ?? [...OUTPUT_NAMES];
    const unknown = wanted.filter((n) => !(OUTPUT_NAMES as readonly string[]).includes(n));
    if (unknown.length > 0) throw new InvalidRequestError(`unknown output ${unknown.join(', ')}; the model gives ${OUTPUT_NAMES.join(' and ')}`);
    const info = await this.resolve(args.name, args.version);
    const features = manifestOf(info).features;
    if (width !== features.length) {
      throw new InvalidRequestError(`input ${input.name}: ${args.name} v${info.version} takes ${features.length} features per row (${features.slice(0, 4).join(', ')}, ...), shape says ${width}`);
    }
    const reply = await this.models.registry.infer({ name: args.name, version: info.version, rows, features: data });
    const nClasses = reply.classLabels.length;
    const outputs = [
      { name: 'label', datatype: 'BYTES', shape: [rows], data: reply.labels },
      { name: 'probabilities', datatype: 'FP32', shape: [rows, nClasses], data: reply.probabilities },
    ].filter((o) => wanted.includes(o.name));
    return { model_name: args.name, model_version: String(reply.version), ...(request.id !== undefined ? { id: request.id } : {}), outputs };
  }

  /** Registry reachable: it answers a listing. */
  async serverReady(): Promise<boolean> {
    try {
      await this.models.registry.ask('listModels', {}, 2_000);
      return true;
    } catch {
      return false;
    }
  }

  private async resolve(name: string, version?: number): Promise<ModelVersionInfo> {
    if (version !== undefined) return this.models.registry.version(name, version);
    const production = (await this.models.registry.aliases(name)).production?.version;
    if (production === undefined) throw new InvalidRequestError(`model ${name} has no production version; name a version`, {}, 'MODELS.NO_PRODUCTION_VERSION');
    return this.models.registry.version(name, production);
  }
}
