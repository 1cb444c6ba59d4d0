#!/usr/bin/env node
// Saves the graph ONNX Runtime makes of a model, as users save an "optimized"
// model: with --level extended (the default) it keeps the layout and writes
// ORT's com.microsoft ops (FusedConv, FusedGemm, FusedMatMul, Gelu, QuickGelu,
// SkipLayerNormalization); with --level all it also writes NCHWc-layout ops
// (com.microsoft.nchwc), blocked for this machine, which acnn does not take.
//
//   node bench/ort_optimize.js MODEL.onnx OUT.onnx [--level basic|extended|all]
//
// onnxruntime-node is found on NODE_PATH or in build/bench/node (bench/run.sh
// installs it). Prints the path written; on failure the first line of the
// error on stderr, exit 1.
'use strict';

const { loadOrt } = require('./ort_node.js');

async function main(argv) {
  const pos = [];
  let level = 'extended';
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--level') level = argv[++i];
    else pos.push(argv[i]);
  }
  if (pos.length !== 2 || !['basic', 'extended', 'all'].includes(level))
    throw new Error('usage: ort_optimize.js MODEL.onnx OUT.onnx [--level basic|extended|all]');
  const ort = loadOrt();
  await ort.InferenceSession.create(pos[0], {
    executionProviders: ['cpu'],
    graphOptimizationLevel: level,
    optimizedModelFilePath: pos[1],
  });
  console.log(pos[1]);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(String(e.message || e).split('\n')[0]);
  process.exit(1);
});
