// RUN: acnn-opt %s -split-input-file -acnn-convert-to-linalg="threads=2" | FileCheck %s

// Attention over 256 keys for 2 x 128 queries: an scf.forall over (batch,
// block of 64 query rows), and in each iteration a stream over blocks of 64
// keys. Scores exist as 64 x 64 blocks only, never 128 x 256; each
// iteration writes its rows of the output in place.
// CHECK-LABEL: func @attention
// CHECK-NOT: tensor<2x128x256xf32>
// CHECK: %[[OUT:.*]] = scf.forall (%[[B:.*]], %[[R:.*]]) in (2, 2) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<2x128x8xf32>)
// CHECK: %[[FIRST:.*]] = arith.muli %[[R]], %{{.*}} : index
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[O]][%[[B]], %[[FIRST]], 0] [1, 64, 8]
// CHECK: %[[V:.*]] = tensor.extract_slice %arg2[%[[B]], 0, 0] [1, 256, 8]
// CHECK: %[[K:.*]] = tensor.extract_slice %arg1[%[[B]], 0, 0] [1, 256, 16]
// CHECK: %[[Q:.*]] = tensor.extract_slice %arg0[%[[B]], %[[FIRST]], 0] [1, 64, 16]
// CHECK: linalg.fill {{.*}} outs(%[[ROWS]] : tensor<1x64x8xf32>)
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<1x64xf32>, tensor<1x64xf32>, tensor<1x64x8xf32>)
// CHECK: tensor.extract_slice %[[K]][0, %[[J]], 0] [1, 64, 16]
// CHECK: tensor.extract_slice %[[V]][0, %[[J]], 0] [1, 64, 8]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x64x64xf32>)
// The block's row maxima and row sums go through 16 lanes a row, whole vectors:
// CHECK: %[[S:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 64, 4, 16]
// CHECK: %[[PMAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[S]] : tensor<1x64x4x16xf32>) outs(%{{.*}} : tensor<1x64x16xf32>)
// CHECK: arith.maxnumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PMAX]] : tensor<1x64x16xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// CHECK: %[[P:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 64, 4, 16]
// CHECK: %[[PSUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[P]] : tensor<1x64x4x16xf32>) outs(%{{.*}} : tensor<1x64x16xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PSUM]] : tensor<1x64x16xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// CHECK: scf.yield
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[O]][%[[B]], %[[FIRST]], 0] [1, 64, 8]
// CHECK-NOT: tensor<1x64x256xf32>
// CHECK: return %[[OUT]]
func.func @attention(%q: tensor<2x128x16xf32>, %k: tensor<2x256x16xf32>, %v: tensor<2x256x8xf32>) -> tensor<2x128x8xf32> {
  %o = acnn.attention %q, %k, %v {scale = 0.25 : f32} : (tensor<2x128x16xf32>, tensor<2x256x16xf32>, tensor<2x256x8xf32>) -> tensor<2x128x8xf32>
  return %o : tensor<2x128x8xf32>
}

// -----

// 197 tokens (a prime, ViT's): the queries are padded with zero rows to 200,
// 4 blocks of 50 per head (12 blocks, 6 for each of 2 threads: 32 would give
// 224 rows, 11 blocks for one thread), and the padded rows dropped at the
// end; the keys stream as three blocks of 64 in the loop and one last block
// of the 5 left.
// CHECK-LABEL: func @attention_remainders
// CHECK: %[[QP:.*]] = tensor.pad %arg0 low[0, 0, 0] high[0, 3, 0]
// CHECK: %[[OUT:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (3, 4) {{.*}} -> (tensor<3x200x8xf32>)
// CHECK: tensor.extract_slice %[[QP]]{{.*}} [1, 50, 16]
// CHECK: %[[END:.*]] = arith.constant 192 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[END]] step
// CHECK: scf.yield
// CHECK: tensor.extract_slice %{{.*}}[0, %[[END]], 0] [1, 5, 16]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x50x5xf32>)
// CHECK: scf.forall.in_parallel
// CHECK: %[[R:.*]] = tensor.extract_slice %[[OUT]][0, 0, 0] [3, 197, 8]
// CHECK-NOT: tensor<3x197x197xf32>
// CHECK: return %[[R]]
func.func @attention_remainders(%q: tensor<3x197x16xf32>, %k: tensor<3x197x16xf32>, %v: tensor<3x197x8xf32>) -> tensor<3x197x8xf32> {
  %o = acnn.attention %q, %k, %v {scale = 0.25 : f32} : (tensor<3x197x16xf32>, tensor<3x197x16xf32>, tensor<3x197x8xf32>) -> tensor<3x197x8xf32>
  return %o : tensor<3x197x8xf32>
}

// -----

// One head of 32 queries is one block of rows: no forall, the stream alone.
// CHECK-LABEL: func @attention_one_block
// CHECK-NOT: scf.forall
// CHECK: scf.for
// CHECK: return
func.func @attention_one_block(%q: tensor<1x32x16xf32>, %k: tensor<1x100x16xf32>, %v: tensor<1x100x8xf32>) -> tensor<1x32x8xf32> {
  %o = acnn.attention %q, %k, %v {scale = 0.25 : f32} : (tensor<1x32x16xf32>, tensor<1x100x16xf32>, tensor<1x100x8xf32>) -> tensor<1x32x8xf32>
  return %o : tensor<1x32x8xf32>
}
