// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2 schedules=%S/Inputs/schedules-bad.txt})" -verify-diagnostics -o /dev/null

// Entries of a schedules file that do not fit the model: a schedule outside
// its kernel's loops, a stale key (the kernel changed since the file was
// written), a name no kernel has. Each error names the file, line and entry.
// expected-error @below {{schedules-bad.txt:4: entry 'ghost' names no kernel of this model}}
module {
func.func @f(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  // expected-error @+1 {{schedules-bad.txt:1: entry 'kernel': schedule split [0, 70] is outside linalg.matmul's loops [64, 64, 64]}}
  %m = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-error @+1 {{schedules-bad.txt:3: entry 'kernel#2': stale: it was made for "linalg.generic 64x32 pp f32 maps(d0,d1)(d0,d1) body(math.exp)", the kernel now computes "linalg.generic 64x64 pp f32 maps(d1,d0)(d0,d1) body(math.exp)"}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%m : tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}
}
