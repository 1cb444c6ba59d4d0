// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2})" | FileCheck %s --check-prefix=GEN
// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2 schedules=%S/Inputs/schedules-good.txt})" | FileCheck %s --check-prefix=FILE
// RUN: not acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{schedules=%S/Inputs/missing.txt})" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MISSING

// Each kernel gets a number, an entry name (its acnn kernel's, here none:
// "kernel", then "kernel#2"), a key (what it computes) and a schedule: the
// generator's, or a schedules file's entry of that name
// (select-schedules-errors.mlir: whose key must be the kernel's and whose
// schedule must fit its loops).
// GEN: linalg.matmul {acnn.kernel = 0 : i64, acnn.kernel_entry = "kernel", acnn.kernel_key = "linalg.matmul 64x64x64 ppr f32", acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 2, peel = [0], parallel = [1, 0], tile = [6, 16, 1]
// GEN: linalg.generic {{.*}} attrs =  {acnn.kernel = 1 : i64, acnn.kernel_entry = "kernel#2", acnn.kernel_key = "linalg.generic 64x64 pp f32 maps(d1,d0)(d0,d1) body(math.exp)", acnn.schedule = #acnn.schedule<elementwise
// FILE: linalg.matmul {{.*}} acnn.schedule = #acnn.schedule<matmul, vector = 8, unroll = 1, parallel = [0], chunks = 4, tile = [4, 8, 1], order = [1, 0, 2], vectorize, hoist>, acnn.schedule_source = "file"}
// FILE: linalg.generic {{.*}} acnn.schedule = #acnn.schedule<elementwise, vector = 8, unroll = 4, tile = [8, 32], vectorize>}
// MISSING: cannot read schedules file '{{.*}}missing.txt'

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
