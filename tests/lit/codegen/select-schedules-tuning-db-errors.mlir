// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{tuning-db=%S/Inputs/tuning-db-bad.jsonl})" -verify-diagnostics -o /dev/null

// Records of a tuning database whose schedule is no schedule, or does not
// fit its kernel's loops. Each error names the file, line, key and kernel.
module attributes {acnn.target = #acnn.target<cpu = "x86-64-v3", isa = "avx2", vector_bits = 256, vector_registers = 16, l1_bytes = 32768, l2_bytes = 524288, l3_bytes = 33554432, threads = 2>} {
func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{tuning-db-bad.jsonl:2: record "linalg.matmul 64x64x64 ppr f32" for kernel 'kernel': schedule tile has 2 sizes; linalg.matmul has 3 loops}}
  %m = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-error @+1 {{tuning-db-bad.jsonl:1: record "linalg.generic 64x64 pp f32 maps(d1,d0)(d0,d1) body(math.exp)" for kernel 'kernel#2': invalid schedule: schedule vector width 12 is not 4, 8 or 16 lanes}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%m : tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
}
