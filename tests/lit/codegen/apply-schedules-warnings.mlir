// RUN: acnn-opt %s -pass-pipeline="builtin.module(acnn-select-schedules{target=avx2},acnn-apply-schedules)" -verify-diagnostics -o /dev/null

// The vectoriser rejects an scf.if in a body: the kernel stays scalar, and
// compilation goes on with a warning instead of silently slow code.
func.func @branchy(%x: tensor<64x64xf32>, %o: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-warning @+1 {{kernel 'kernel' (linalg.generic) keeps part of its schedule unapplied, it may be scalar: Attempted to vectorize, but failed}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<64x64xf32>) outs(%o : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ogt, %in, %zero : f32
    %v = scf.if %c -> f32 {
      scf.yield %in : f32
    } else {
      scf.yield %zero : f32
    }
    linalg.yield %v : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

