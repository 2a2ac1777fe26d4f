// Field numbers and enums from onnx.proto that the writer and reader share.
export const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
export const OPSET = { domain: 1, version: 2 } as const;
export const GRAPH = { node: 1, name: 2, input: 11, output: 12 } as const;
export const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const ATTR = { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, strings: 9, type: 20 } as const;
export const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
export const VALUE_INFO = { name: 1, type: 2 } as const;
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIM = { value: 1, param: 2 } as const;
export const ELEM = { FLOAT: 1, INT64: 7, STRING: 8 } as const;
export const ENTRY = { key: 1, value: 2 } as const;

export const ML_DOMAIN = 'ai.onnx.ml';
export const OP_TYPE = 'TreeEnsembleClassifier';
export const META_KIND = 'vigil.model_kind';
export const META_FEATURES = 'vigil.feature_names';
