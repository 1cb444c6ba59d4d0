"""acnn: compile image models to native code with acnnc and run them.

    import acnn
    so = acnn.compile("model.onnx", input_shapes={"input": (1, 3, 224, 224)})
    with acnn.load(so) as m:
        y = m(x)   # x: a float32 array of m.inputs[0].shape
"""

from ._compiler import compile
from ._error import Error
from ._locate import acnnc_path, runtime_path
from ._runtime import Model, ProfileEntry, TensorInfo, load

__version__ = "0.1.0"

__all__ = ["Error", "Model", "ProfileEntry", "TensorInfo", "acnnc_path", "compile", "load",
           "runtime_path"]
