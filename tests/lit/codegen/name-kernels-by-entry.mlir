// RUN: acnn-opt %s -acnn-name-kernels-by-entry -mlir-print-debuginfo | FileCheck %s

// Each top-level op holding a kernel root takes its entry name in its
// locations, nested ops too, so the runtime's profile times the graph
// kernel's two linalg kernels apart; a loop over groups takes the name of
// the first kernel in it. Ops of no kernel (the empty tensor) keep theirs.
// The fill, the first linalg kernel of "g", is named "g" as before.
// CHECK-LABEL: func.func @main
// CHECK: tensor.empty() : tensor<8xf32> loc(#[[E:loc[0-9]+]])
// CHECK: linalg.fill {{.*}} loc(#[[G:loc[0-9]+]])
// CHECK: arith.addf {{.*}} loc(#[[SECOND:loc[0-9]+]])
// CHECK: } -> tensor<8xf32> loc(#[[SECOND]])
// CHECK: scf.forall
// CHECK-NEXT: arith.muli {{.*}} loc(#[[LOOP:loc[0-9]+]])
// CHECK: arith.negf {{.*}} loc(#[[LOOP]])
// CHECK: } loc(#[[LOOP]])
// CHECK-DAG: #[[E]] = loc(fused<{acnn.kernel_name = "e"}>
// CHECK-DAG: #[[G]] = loc(fused<{acnn.kernel_name = "g"}>
// CHECK-DAG: #[[SECOND]] = loc(fused<{acnn.kernel_name = "g#2"}>
// CHECK-DAG: #[[LOOP]] = loc(fused<{acnn.kernel_name = "h#3"}>
#e = loc(fused<{acnn.kernel_name = "e"}>["e"])
#g = loc(fused<{acnn.kernel_name = "g"}>["g"])
#h = loc(fused<{acnn.kernel_name = "h"}>["h"])
#map = affine_map<(d0) -> (d0)>
module @m {
  func.func @main(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %zero = arith.constant 0.0 : f32 loc(#g)
    %e = tensor.empty() : tensor<8xf32> loc(#e)
    %f = linalg.fill {acnn.kernel = 0 : i64, acnn.kernel_entry = "g", acnn.kernel_key = "K fill"} ins(%zero : f32) outs(%e : tensor<8xf32>) -> tensor<8xf32> loc(#g)
    %r = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%x, %f : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) attrs = {acnn.kernel = 1 : i64, acnn.kernel_entry = "g#2", acnn.kernel_key = "K add"} {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %s = arith.addf %a, %b : f32 loc(#g)
      linalg.yield %s : f32 loc(#g)
    } -> tensor<8xf32> loc(#g)
    %l = scf.forall (%i) in (2) shared_outs(%o = %e) -> (tensor<8xf32>) {
      %off = arith.muli %i, %i : index loc(#h)
      %in = tensor.extract_slice %x[%off] [4] [1] : tensor<8xf32> to tensor<4xf32> loc(#h)
      %out = tensor.extract_slice %o[%off] [4] [1] : tensor<8xf32> to tensor<4xf32> loc(#h)
      %n = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%in : tensor<4xf32>) outs(%out : tensor<4xf32>) attrs = {acnn.kernel = 2 : i64, acnn.kernel_entry = "h#3", acnn.kernel_key = "K neg"} {
      ^bb0(%a: f32, %b: f32):
        %m = arith.negf %a : f32 loc(#h)
        linalg.yield %m : f32 loc(#h)
      } -> tensor<4xf32> loc(#h)
      scf.forall.in_parallel {
        tensor.parallel_insert_slice %n into %o[%off] [4] [1] : tensor<4xf32> into tensor<8xf32> loc(#h)
      } loc(#h)
    } loc(#h)
    return %r, %l : tensor<8xf32>, tensor<8xf32>
  }
}
