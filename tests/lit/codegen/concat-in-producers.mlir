// RUN: acnn-opt %s -split-input-file -pass-pipeline="builtin.module(func.func(acnn-concat-in-producers))" | FileCheck %s

// An NHWC channel concat of a relu's result (written in place: its output
// is the buffer's slice) and of a slice of another tensor (copied by a
// linalg.copy into its slice); the concat is gone.
// CHECK-LABEL: func.func @channels
// The buffer goes through its writers in program order, each writing into
// a slice of it as the one before left it (so that it bufferises in place).
// CHECK: %[[BUF:.*]] = bufferization.alloc_tensor() : tensor<1x2x2x12xf32>
// CHECK: %[[PLACE0:.*]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 2, 2, 8] [1, 1, 1, 1]
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} outs(%[[PLACE0]] : tensor<1x2x2x8xf32>)
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[RELU]] into %[[BUF]][0, 0, 0, 0] [1, 2, 2, 8] [1, 1, 1, 1]
// CHECK: %[[PLACE1:.*]] = tensor.extract_slice %[[R0]][0, 0, 0, 8] [1, 2, 2, 4] [1, 1, 1, 1]
// CHECK: %[[COPY:.*]] = linalg.copy ins(%{{.*}} : tensor<1x2x2x4xf32>) outs(%[[PLACE1]] : tensor<1x2x2x4xf32>)
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[COPY]] into %[[R0]][0, 0, 0, 8] [1, 2, 2, 4] [1, 1, 1, 1]
// CHECK-NOT: tensor.concat
// CHECK: return %[[R1]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @channels(%x: tensor<1x2x2x8xf32>, %y: tensor<1x2x2x6xf32>) -> tensor<1x2x2x12xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x : tensor<1x2x2x8xf32>) outs(%e : tensor<1x2x2x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x8xf32>
  %s = tensor.extract_slice %y[0, 0, 0, 2] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x6xf32> to tensor<1x2x2x4xf32>
  %c = tensor.concat dim(3) %r, %s : (tensor<1x2x2x8xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x12xf32>
  return %c : tensor<1x2x2x12xf32>
}

// -----

// A producer that others read too keeps its own result: it is copied.
// CHECK-LABEL: func.func @shared_producer
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x8x2x2xf32>)
// CHECK: linalg.copy ins(%[[RELU]] : tensor<1x8x2x2xf32>)
// CHECK: linalg.copy ins(%arg1 : tensor<1x4x2x2xf32>)
// CHECK-NOT: tensor.concat
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @shared_producer(%x: tensor<1x8x2x2xf32>, %y: tensor<1x4x2x2xf32>)
    -> (tensor<1x12x2x2xf32>, tensor<1x8x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x : tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x2x2xf32>
  %c = tensor.concat dim(1) %r, %y : (tensor<1x8x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x12x2x2xf32>
  return %c, %r : tensor<1x12x2x2xf32>, tensor<1x8x2x2xf32>
}

// -----

// A producer outside the concat's block (the concat in a loop body) is
// copied: the buffer is threaded through writers of one block only.
// CHECK-LABEL: func.func @producer_outside
// CHECK: %[[RELU:.*]] = linalg.generic
// CHECK: scf.forall
// CHECK: bufferization.alloc_tensor() : tensor<1x12x2x2xf32>
// CHECK: linalg.copy ins(%[[RELU]] : tensor<1x8x2x2xf32>)
// CHECK-NOT: tensor.concat
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @producer_outside(%x: tensor<1x8x2x2xf32>, %y: tensor<1x4x2x2xf32>, %out: tensor<2x1x12x2x2xf32>)
    -> tensor<2x1x12x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x : tensor<1x8x2x2xf32>) outs(%e : tensor<1x8x2x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x2x2xf32>
  %res = scf.forall (%i) in (2) shared_outs(%o = %out) -> (tensor<2x1x12x2x2xf32>) {
    %c = tensor.concat dim(1) %r, %y : (tensor<1x8x2x2xf32>, tensor<1x4x2x2xf32>) -> tensor<1x12x2x2xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %c into %o[%i, 0, 0, 0, 0] [1, 1, 12, 2, 2] [1, 1, 1, 1, 1] : tensor<1x12x2x2xf32> into tensor<2x1x12x2x2xf32>
    }
  }
  return %res : tensor<2x1x12x2x2xf32>
}

// -----

// DenseNet's layers each concatenate every feature map before them: the
// second concat takes the first one's result in place of its two leading
// inputs, so it copies that once instead of copying %a and %b again.
// CHECK-LABEL: func.func @dense_block
// CHECK: %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 4] [1, 2, 2, 4]
// CHECK: %[[BUF:.*]] = bufferization.alloc_tensor() : tensor<1x2x2x12xf32>
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 2, 2, 8]
// CHECK: linalg.copy ins(%[[FIRST]] : tensor<1x2x2x8xf32>) outs(%[[PLACE]] : tensor<1x2x2x8xf32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 8] [1, 2, 2, 4]
// CHECK: linalg.copy ins(%arg2 : tensor<1x2x2x4xf32>)
// CHECK-NOT: tensor.concat
func.func @dense_block(%a: tensor<1x2x2x4xf32>, %b: tensor<1x2x2x4xf32>, %c: tensor<1x2x2x4xf32>)
    -> (tensor<1x2x2x8xf32>, tensor<1x2x2x12xf32>) {
  %ab = tensor.concat dim(3) %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32>
  %abc = tensor.concat dim(3) %a, %b, %c : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x12xf32>
  return %ab, %abc : tensor<1x2x2x8xf32>, tensor<1x2x2x12xf32>
}

// -----

// A DenseNet block whose layers read each concat before the next one is
// written: the chain of concats is one buffer of the last one's shape; each
// concat writes only its new input there, and the layer reads the leading
// slices of the buffer (no concat is copied into the next). In @dense_block
// above, the first concat is read after the second is written (by the
// return): it keeps a buffer of its own.
// CHECK-LABEL: func.func @dense_chain
// CHECK: %[[BUF:.*]] = bufferization.alloc_tensor() : tensor<1x2x2x12xf32>
// CHECK: tensor.extract_slice %[[BUF]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: linalg.copy ins(%arg0
// CHECK: %[[A:.*]] = tensor.insert_slice %{{.*}} into %[[BUF]][0, 0, 0, 0] [1, 2, 2, 4]
// CHECK: tensor.extract_slice %[[A]][0, 0, 0, 4] [1, 2, 2, 4]
// CHECK: linalg.copy ins(%arg1
// CHECK: %[[AB:.*]] = tensor.insert_slice %{{.*}} into %[[A]][0, 0, 0, 4] [1, 2, 2, 4]
// CHECK: %[[VIEW:.*]] = tensor.extract_slice %[[AB]][0, 0, 0, 0] [1, 2, 2, 8]
// CHECK: %[[LAYER:.*]] = linalg.generic {{.*}} ins(%[[VIEW]] : tensor<1x2x2x8xf32>)
// CHECK: %[[FEAT:.*]] = tensor.extract_slice %[[LAYER]]
// CHECK: %[[PLACE:.*]] = tensor.extract_slice %[[AB]][0, 0, 0, 8] [1, 2, 2, 4]
// CHECK: %[[COPY:.*]] = linalg.copy ins(%[[FEAT]] : tensor<1x2x2x4xf32>) outs(%[[PLACE]]
// CHECK: %[[ABC:.*]] = tensor.insert_slice %[[COPY]] into %[[AB]][0, 0, 0, 8] [1, 2, 2, 4]
// CHECK-NOT: tensor.concat
// CHECK-NOT: alloc_tensor
// CHECK: return %[[ABC]]
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @dense_chain(%a: tensor<1x2x2x4xf32>, %b: tensor<1x2x2x4xf32>) -> tensor<1x2x2x12xf32> {
  %zero = arith.constant 0.0 : f32
  %ab = tensor.concat dim(3) %a, %b : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x8xf32>
  %e = tensor.empty() : tensor<1x2x2x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%ab : tensor<1x2x2x8xf32>) outs(%e : tensor<1x2x2x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x8xf32>
  %f = tensor.extract_slice %r[0, 0, 0, 2] [1, 2, 2, 4] [1, 1, 1, 1] : tensor<1x2x2x8xf32> to tensor<1x2x2x4xf32>
  %abf = tensor.concat dim(3) %ab, %f : (tensor<1x2x2x8xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x12xf32>
  return %abf : tensor<1x2x2x12xf32>
}
