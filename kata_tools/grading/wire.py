"""Plain data between the judge and the sandboxed worker: JSON, with arrays as ``.npy`` (never pickle).

``encode`` turns nested dicts, lists, numbers, strings and tensors into
JSON text; ``decode`` turns it back, tensors as numpy arrays read with
``allow_pickle=False`` and only of numeric or boolean dtypes. The worker's
side runs in the sandbox, so this file imports nothing of the project's.
"""

import base64
import io
import json

import numpy as np

ARRAY_KEY = "__npy__"
ALLOWED_KINDS = "biuf"  # bool, signed and unsigned integers, floats


class WireError(ValueError):
    pass


def torch_half_types(tensor):
    import torch

    return (torch.float16, torch.bfloat16)


def _plain(value):
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        value = value.detach().cpu()
        value = value.float().numpy() if value.dtype in (torch_half_types(value)) else value.numpy()
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(value), allow_pickle=False)
        return {ARRAY_KEY: base64.b64encode(buffer.getvalue()).decode("ascii")}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    raise WireError(f"cannot send a {type(value).__name__}")


def encode(value):
    """JSON text for ``value`` (tensors and arrays as base64 .npy)."""
    return json.dumps(_plain(value))


def _array(text):
    if not isinstance(text, str):
        raise WireError("an array must be base64 text")
    array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    if array.dtype.kind not in ALLOWED_KINDS:
        raise WireError(f"arrays of dtype {array.dtype} are not accepted")
    return array


def _restore(value, tensors):
    if isinstance(value, dict):
        if set(value) == {ARRAY_KEY}:
            array = _array(value[ARRAY_KEY])
            if tensors:
                import torch

                return torch.from_numpy(array.copy())
            return array
        return {key: _restore(item, tensors) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item, tensors) for item in value]
    return value


def decode(text, tensors=False):
    """The value ``encode`` wrote; arrays as numpy arrays, or torch tensors with ``tensors=True``."""
    try:
        return _restore(json.loads(text), tensors)
    except (ValueError, TypeError, RecursionError) as error:
        raise WireError(f"unreadable data: {type(error).__name__}: {str(error)[:200]}") from None
