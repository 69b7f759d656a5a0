__version__ = "0.1.0"

# Before any kernel can load from numba's cache: drop cached kernels whose imported modules changed (nbs/00_core.ipynb)
from .core import refresh_kernel_cache as _refresh_kernel_cache
_refresh_kernel_cache()
