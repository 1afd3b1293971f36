// Writes test/fixtures/logistic-rsi-return.onnx: a logistic regression
// sigmoid(features · W + B) over two features (RSI(7) and the one-bar return), as an ONNX
// graph MatMul -> Add -> Sigmoid. The protobuf messages are declared here with the field
// numbers of onnx.proto (only the fields the model uses), so no Python onnx package is needed.
// Run: node packages/strategy/scripts/make-onnx-model.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// Fixed weights, exact in float32 so the ONNX file holds the same numbers as the test's
// LinearModel: z = 4.75 - 0.09375 rsi + 12.5 return.
export const WEIGHTS = [-0.09375, 12.5];
export const INTERCEPT = 4.75;

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: {
          fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } },
        },
        TypeProto: {
          fields: { tensorType: { type: 'TensorTypeProto', id: 1 } },
        },
        TensorTypeProto: {
          fields: {
            elemType: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
        },
        Dimension: {
          fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } },
        },
      },
    },
  },
});

const FLOAT = 1;
const floatTensor = (name, dims) => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
});

const ModelProto = root.lookupType('onnx.ModelProto');
const message = ModelProto.fromObject({
  irVersion: 8,
  producerName: 'qtp-make-onnx-model',
  opsetImport: [{ domain: '', version: 13 }],
  graph: {
    name: 'logistic',
    node: [
      { opType: 'MatMul', name: 'matmul', input: ['features', 'W'], output: ['z0'] },
      { opType: 'Add', name: 'add', input: ['z0', 'B'], output: ['z'] },
      { opType: 'Sigmoid', name: 'sigmoid', input: ['z'], output: ['score'] },
    ],
    initializer: [
      { name: 'W', dataType: FLOAT, dims: [WEIGHTS.length, 1], floatData: WEIGHTS },
      { name: 'B', dataType: FLOAT, dims: [1], floatData: [INTERCEPT] },
    ],
    input: [floatTensor('features', ['batch', WEIGHTS.length])],
    output: [floatTensor('score', ['batch', 1])],
  },
});
const bytes = ModelProto.encode(message).finish();
const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '../test/fixtures/logistic-rsi-return.onnx',
);
writeFileSync(out, bytes);
console.log(`wrote ${bytes.length} bytes`);
