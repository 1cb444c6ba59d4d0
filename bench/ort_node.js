// onnxruntime-node for the bench's scripts: from NODE_PATH, else from
// bench/run.sh's install prefix build/bench/node.
'use strict';

const path = require('path');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    return require(path.join(__dirname, '..', 'build', 'bench', 'node', 'node_modules',
                             'onnxruntime-node'));
  }
}

module.exports = { loadOrt };
