#!/usr/bin/env node
// Times an ONNX model with ONNX Runtime (npm onnxruntime-node, CPU execution provider).
//
//   node bench/ort_bench.js MODEL.onnx INPUT.npy [--golden OUT.npy] [--runs 20] [--warmup 3] [--threads 2]
//       [--name NAME] [--profile-runs N]
//
// onnxruntime-node is found on NODE_PATH or in build/bench/node (bench/run.sh installs it).
//
// Session: intra-op threads --threads, inter-op threads 1, sequential execution,
// graphOptimizationLevel 'all'. Runs --warmup untimed inferences, then --runs timed
// ones (wall clock around each session.run), and prints one JSON line on stdout:
//   {"kind":"latency","engine":"ort","model":NAME,"ok":true,"median_ms":..,"min_ms":..,
//    "max_ms":..,"times_ms":[..],"rel_err":..,"version":"1.x"}
// rel_err is the relative L2 error of the output against --golden (PyTorch's output).
// With --profile-runs N (default 0: none), a second session with ORT's profiler on runs
// --warmup and then N inferences after the timed ones, so the profiler never touches the
// latency, and the record gains "profile":{"runs":N,"nodes":[{"name":..,"op":..,
// "total_ms":..,"median_ms":..}]}: each node of ORT's optimised graph (named after the
// ONNX node it came from) and its kernel time over the N runs (as acnn-run --profile
// gives per kernel) and its median over them (one run's stall spoils a sum of 10).
// On failure: {"kind":"latency","engine":"ort","ok":false,"error":"first line"}, exit 1.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

function parseArgs(argv) {
  const o = { runs: 20, warmup: 3, threads: 2, profileruns: 0, golden: null, name: null, pos: [] };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) { o.pos.push(a); continue; }
    m[1] = m[1].replace(/-/g, '');
    const v = m[2] !== undefined ? m[2] : argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (['runs', 'warmup', 'threads', 'profileruns'].includes(m[1])) {
      const n = Number(v);
      const least = m[1] === 'warmup' || m[1] === 'profileruns' ? 0 : 1;
      if (!Number.isInteger(n) || n < least) throw new Error(`bad ${a} ${v}`);
      o[m[1]] = n;
    } else if (m[1] === 'golden' || m[1] === 'name') {
      o[m[1]] = v;
    } else {
      throw new Error(`unknown option ${a}`);
    }
  }
  if (o.pos.length !== 2) throw new Error('usage: ort_bench.js MODEL.onnx INPUT.npy [options]');
  return o;
}

// Minimal .npy reader: version 1/2/3, little-endian float32/float64, C order.
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new Error(`${file}: bad .npy header`);
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran order is not supported`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const off = hstart + hlen;
  const data = new Float32Array(count);
  if (descr[1] === '<f4') {
    for (let i = 0; i < count; ++i) data[i] = buf.readFloatLE(off + 4 * i);
  } else if (descr[1] === '<f8') {
    for (let i = 0; i < count; ++i) data[i] = buf.readDoubleLE(off + 8 * i);
  } else {
    throw new Error(`${file}: dtype ${descr[1]} is not supported (want <f4 or <f8)`);
  }
  return { dims, data };
}

function relErr(y, ref) {
  if (y.length !== ref.length) return null;
  let num = 0, den = 0;
  for (let i = 0; i < y.length; ++i) {
    const d = y[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const { loadOrt } = require('./ort_node.js');

// ORT's per-node kernel time over `runs` inferences after `warmup` ones, from a session
// of its own with the profiler on (its JSON trace, deleted after reading).
async function profileNodes(ort, modelPath, options, feeds, warmup, runs) {
  const prefix = `ort_bench_${process.pid}_`;
  const session = await ort.InferenceSession.create(modelPath, Object.assign({}, options, {
    enableProfiling: true, profileFilePrefix: path.join(os.tmpdir(), prefix) }));
  for (let i = 0; i < warmup + runs; ++i) await session.run(feeds);
  if (session.endProfiling) session.endProfiling();
  const events = [];
  for (const f of fs.readdirSync(os.tmpdir())) {
    if (!f.startsWith(prefix) || !f.endsWith('.json')) continue;
    events.push(...JSON.parse(fs.readFileSync(path.join(os.tmpdir(), f), 'utf8')));
    fs.unlinkSync(path.join(os.tmpdir(), f));
  }
  // The trace holds every run: node events from the first timed run's start on count.
  const starts = events.filter((e) => e.cat === 'Session' && e.name === 'model_run')
      .map((e) => e.ts).sort((x, y) => x - y);
  if (starts.length !== warmup + runs) throw new Error(`profile: ${starts.length} runs traced`);
  const nodes = {};
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < starts[warmup]) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    nodes[name] = nodes[name] || { name, op: e.args && e.args.op_name, times: [] };
    nodes[name].times.push(e.dur / 1e3);
  }
  if (session.release) await session.release();
  return { runs, nodes: Object.values(nodes).map((n) => ({
    name: n.name, op: n.op, total_ms: n.times.reduce((a, b) => a + b, 0),
    median_ms: median(n.times) })) };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const [modelPath, inputPath] = o.pos;
  const name = o.name || path.basename(modelPath, '.onnx');
  const record = { kind: 'latency', engine: 'ort', model: name, runs: o.runs, warmup: o.warmup,
                   threads: o.threads };
  try {
    const ort = loadOrt();
    record.version = ort.env && ort.env.versions ? ort.env.versions.node : undefined;
    const options = {
      executionProviders: ['cpu'],
      intraOpNumThreads: o.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const session = await ort.InferenceSession.create(modelPath, options);
    const x = readNpy(inputPath);
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x.data, x.dims) };
    const outName = session.outputNames[0];
    let out = null;
    for (let i = 0; i < o.warmup; ++i) out = await session.run(feeds);
    const times = [];
    for (let i = 0; i < o.runs; ++i) {
      const t0 = process.hrtime.bigint();
      out = await session.run(feeds);
      const t1 = process.hrtime.bigint();
      times.push(Number(t1 - t0) / 1e6);
    }
    if (o.golden) record.rel_err = relErr(out[outName].data, readNpy(o.golden).data);
    Object.assign(record, { ok: true, median_ms: median(times), min_ms: Math.min(...times),
                            max_ms: Math.max(...times), times_ms: times });
    if (o.profileruns > 0) {
      try {
        record.profile = await profileNodes(ort, modelPath, options, feeds, o.warmup,
                                            o.profileruns);
      } catch (e) {
        record.profile = { error: String(e && e.message ? e.message : e).split('\n')[0] };
      }
    }
    console.log(JSON.stringify(record));
  } catch (e) {
    const msg = String(e && e.message ? e.message : e).split('\n').find((l) => l.trim()) || 'error';
    Object.assign(record, { ok: false, error: msg.trim() });
    console.log(JSON.stringify(record));
    process.exitCode = 1;
  }
}

main();
