// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{tuning-db=%S/Inputs/tuning-db.jsonl})" -verify-diagnostics | FileCheck %s --check-prefix=DB
// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{schedules=%S/Inputs/schedules-good.txt tuning-db=%S/Inputs/tuning-db.jsonl})" -verify-diagnostics | FileCheck %s --check-prefix=FILE
// RUN: not acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{tuning-db=%S/Inputs/missing.jsonl})" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING

// A tuning database's record gives a kernel its schedule when its key and
// this module's #acnn.target (as printed) match and its schedule version is
// the compiler's; a schedules file's entry wins over it. The matmul's
// record for this target is a hit (its record for 4 threads is not looked
// at); the exp's records are for 4 threads or another schedule version:
// stale, it gets the generator's, and one warning counts such kernels.
// DB: linalg.matmul {{.*}}acnn.kernel_key = "linalg.matmul 64x64x64 ppr f32", acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 1, parallel = [0], chunks = 2, tile = [4, 16, 1], vectorize, hoist>, acnn.schedule_source = "database"}
// DB: linalg.generic
// DB-SAME: acnn.schedule = #acnn.schedule<elementwise
// DB-NOT: acnn.schedule_source
// FILE: linalg.matmul {{.*}}acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 1, parallel = [0], chunks = 4, tile = [4, 8, 1], order = [1, 0, 2], vectorize, hoist>, acnn.schedule_source = "file"}
// MISSING: cannot read tuning database '{{.*}}missing.jsonl'

// expected-warning @below {{tuning-db.jsonl: the records of 1 kernel were made for another target or schedule version and are ignored}}
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288, l3_bytes = 33554432, threads = 2>} {
func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%m : tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
}
