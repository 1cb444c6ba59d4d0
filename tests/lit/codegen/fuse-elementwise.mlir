// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-fuse-elementwise))" | FileCheck %s

// An SE gate's scale, the residual add and the relu: one generic, one pass
// over the map.
// CHECK-LABEL: func @gate_add_relu
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 : tensor<1x4x3x3xf32>, tensor<1x4xf32>, tensor<1x4x3x3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nc = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @gate_add_relu(%x: tensor<1x4x3x3xf32>, %gate: tensor<1x4xf32>, %res: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %scaled = linalg.generic {indexing_maps = [#id, #nc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %gate : tensor<1x4x3x3xf32>, tensor<1x4xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %g: f32, %out: f32):
    %m = arith.mulf %a, %g : f32
    linalg.yield %m : f32
  } -> tensor<1x4x3x3xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%scaled, %res : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x4x3x3xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%sum : tensor<1x4x3x3xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x4x3x3xf32>
  return %relu : tensor<1x4x3x3xf32>
}

// -----

// A producer with two readers stays: fusing it would compute it twice.
// CHECK-LABEL: func @shared_producer
// CHECK-COUNT-3: linalg.generic
#v = affine_map<(d0) -> (d0)>
func.func @shared_producer(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %n = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]} ins(%n : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %q = linalg.generic {indexing_maps = [#v, #v], iterator_types = ["parallel"]} ins(%n : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.mulf %a, %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %p, %q : tensor<8xf32>, tensor<8xf32>
}

// -----

// Inside a loop (attention's stream over key blocks) generics stay apart.
// CHECK-LABEL: func @in_loop
// CHECK: scf.for
// CHECK-COUNT-2: linalg.generic
#w = affine_map<(d0) -> (d0)>
func.func @in_loop(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> tensor<8xf32> {
    %e = tensor.empty() : tensor<8xf32>
    %a = linalg.generic {indexing_maps = [#w, #w], iterator_types = ["parallel"]} ins(%acc : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%v: f32, %out: f32):
      %n = math.exp %v : f32
      linalg.yield %n : f32
    } -> tensor<8xf32>
    %b = linalg.generic {indexing_maps = [#w, #w], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%v: f32, %out: f32):
      %n = arith.negf %v : f32
      linalg.yield %n : f32
    } -> tensor<8xf32>
    scf.yield %b : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// -----

// A running maximum reads its own output: fused, it would stay a second
// result of the fused op. It is left alone.
// CHECK-LABEL: func @reads_own_output
// CHECK-COUNT-2: linalg.generic
#u = affine_map<(d0) -> (d0)>
func.func @reads_own_output(%x: tensor<8xf32>, %old: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %max = linalg.generic {indexing_maps = [#u, #u], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%old : tensor<8xf32>) {
  ^bb0(%a: f32, %m: f32):
    %r = arith.maximumf %a, %m : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %p = linalg.generic {indexing_maps = [#u, #u, #u], iterator_types = ["parallel"]} ins(%x, %max : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %m: f32, %out: f32):
    %d = arith.subf %a, %m : f32
    %r = math.exp %d : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %p : tensor<8xf32>
}

// -----

// A per-row producer the reader broadcasts over the row: a LayerNorm's
// 1 / sqrt(var / n + eps) stays a generic of its own (fused, it would be
// computed for every element of the row); the per-row shift, only an add,
// is fused into the reader.
// CHECK-LABEL: func @broadcast_producers
// CHECK: %[[RSTD:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<4xf32>)
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%arg0, %arg2, %[[RSTD]] : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NOT: math.sqrt
// CHECK: return %[[R]]
#row = affine_map<(d0) -> (d0)>
#rc = affine_map<(d0, d1) -> (d0, d1)>
#r = affine_map<(d0, d1) -> (d0)>
func.func @broadcast_producers(%x: tensor<4x8xf32>, %var: tensor<4xf32>, %mean: tensor<4xf32>) -> tensor<4x8xf32> {
  %one = arith.constant 1.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %rstd = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel"]}
    ins(%var : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%v: f32, %out: f32):
    %a = arith.addf %v, %eps : f32
    %s = math.sqrt %a : f32
    %d = arith.divf %one, %s : f32
    linalg.yield %d : f32
  } -> tensor<4xf32>
  %shift = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel"]}
    ins(%mean : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%m: f32, %out: f32):
    %n = arith.addf %m, %eps : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#rc, #r, #r, #rc], iterator_types = ["parallel", "parallel"]}
    ins(%x, %shift, %rstd : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %out: f32):
    %c = arith.subf %a, %m : f32
    %n = arith.mulf %c, %s : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
