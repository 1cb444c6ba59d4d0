// RUN: acnn-opt %s -pass-pipeline="builtin.module(func.func(acnn-fuse-elementwise{max-body-ops=4}))" | FileCheck %s
// RUN: acnn-opt %s -pass-pipeline="builtin.module(func.func(acnn-fuse-elementwise))" | FileCheck %s --check-prefix=ALL

// A chain fuses into bodies of at most max-body-ops ops (each fusion copies
// both bodies: unbounded, a chain of 100k takes quadratic time). A relu's
// body is 2 ops, a fused pair's 3; a third relu would take 3 + 2 > 4: five
// relus are three generics. By default, the chain is one.
// CHECK-LABEL: func @chain
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: linalg.generic
// ALL-LABEL: func @chain
// ALL-COUNT-1: linalg.generic
// ALL-COUNT-5: arith.maximumf
// ALL-NOT: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @chain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%x : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%r1 : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%r2 : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  %r4 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%r3 : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  %r5 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
    ins(%r4 : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  return %r5 : tensor<2x4xf32>
}
