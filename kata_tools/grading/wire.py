"""Plain data between the judge and the sandboxed worker: JSON, with arrays as ``.npy`` (never pickle).

``encode`` turns nested dicts, lists, numbers, strings and tensors into
JSON text; ``decode`` turns it back, tensors as numpy arrays of numeric or
boolean dtypes. The worker's side runs in the sandbox, so this file imports
nothing of the project's.

Everything that comes out of the sandbox is read here and only here, as
hostile data, with every size checked before anything is built from it:

* ``Lines`` cuts the worker's byte stream into lines: at most
  ``MAX_LINE_BYTES`` a line and ``max_lines`` lines, keeping nothing else;
* ``decode`` checks the text's length, its nesting depth and its number of
  items and arrays (by scanning the text, before ``json.loads`` builds it);
* ``read_array`` reads a ``.npy`` header itself, checks the dtype (``bool``,
  integers, floats; no objects, no fields), the number of dimensions, the
  shape, the size and that the data is exactly that size, then reads it.

Whatever breaks a bound raises ``WireError`` (``Lines`` sets ``refused``)
with a reason a student can act on; nothing else escapes (no ``EOFError``, ``MemoryError``,
``RecursionError``).
"""

import base64
import io
import json
import math
from dataclasses import dataclass

import numpy as np

ARRAY_KEY = "__npy__"
ALLOWED_KINDS = "biuf"  # bool, signed and unsigned integers, floats
MAX_LINE_BYTES = 4 * 1024 * 1024  # a chapter's results are under 1 MB (chapter 01's, the largest: 0.64 MB)


@dataclass(frozen=True)
class Limits:
    """Bounds on one decoded text: its characters, nesting, items (containers and values) and arrays."""

    characters: int = MAX_LINE_BYTES
    depth: int = 32
    items: int = 200_000
    arrays: int = 2_000
    array_bytes: int = 16 * 1024 * 1024  # one array's data
    array_elements: int = 4 * 1024 * 1024
    dimensions: int = 8
    scan: bool = True  # check the text's structure before parsing it (``check_structure``)


LIMITS = Limits()  # what comes out of the sandbox
# What the judge itself made (the request, the reference's outputs): bounded only against accidents.
TRUSTED = Limits(characters=1 << 31, depth=64, items=1 << 31, arrays=1 << 31, array_bytes=1 << 33,
                 array_elements=1 << 31, dimensions=32, scan=False)


class WireError(ValueError):
    """Data that is not read: too large, too deep, malformed, or of a kind never accepted."""


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


# ---------------------------------------------------------------- reading, bounded

def check_structure(text, limits=LIMITS):
    """Raise ``WireError`` unless the JSON ``text`` is short, shallow and small enough to build.

    Counted with numpy on the text's bytes, in time and memory linear in its
    length: quotes not escaped by an odd run of backslashes open and close
    strings, and the brackets outside strings give the depth and the items.
    """
    if not isinstance(text, str):
        raise WireError("the data is not text")
    if len(text) > limits.characters:
        raise WireError(f"the data is too large ({len(text):,} characters, at most {limits.characters:,})")
    codes = np.frombuffer(text.encode("utf-8", errors="surrogatepass"), dtype=np.uint8)
    if not len(codes):
        return
    index = np.arange(len(codes), dtype=np.int64)
    last_plain = np.maximum.accumulate(np.where(codes != ord("\\"), index, -1))  # the last non-backslash so far
    before = np.concatenate(([-1], last_plain[:-1]))  # ... before each position
    backslashes = index - 1 - before  # the run of backslashes just before each position
    quotes = (codes == ord('"')) & (backslashes % 2 == 0)
    outside = (np.cumsum(quotes) % 2) == 0
    opening = ((codes == ord("[")) | (codes == ord("{"))) & outside
    closing = ((codes == ord("]")) | (codes == ord("}"))) & outside
    depth = int(np.cumsum(opening.astype(np.int32) - closing.astype(np.int32)).max())
    if depth > limits.depth:
        raise WireError(f"the data is nested too deeply ({depth} levels, at most {limits.depth})")
    items = int(np.count_nonzero(opening)) + int(np.count_nonzero((codes == ord(",")) & outside)) + 1
    if items > limits.items:
        raise WireError(f"the data has too many items ({items:,}, at most {limits.items:,})")
    arrays = text.count(f'"{ARRAY_KEY}"')
    if arrays > limits.arrays:
        raise WireError(f"the data has too many arrays ({arrays:,}, at most {limits.arrays:,})")


def read_array(data, limits=LIMITS):
    """A numpy array from ``.npy`` bytes, its header checked before its data is read.

    Accepts format versions 1.0 and 2.0, dtypes of ``ALLOWED_KINDS`` (no
    fields, no sub-arrays, at most 16 bytes an element), at most
    ``limits.dimensions`` dimensions, ``limits.array_elements`` elements and
    ``limits.array_bytes`` bytes, and data of exactly the size the header
    says. Returns a writable array of native byte order; raises ``WireError``.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise WireError("an array must be bytes")
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(stream, max_header_size=1024)
        elif version == (2, 0):
            shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(stream, max_header_size=1024)
        else:
            raise WireError(f".npy format version {version} is not accepted")
    except WireError:
        raise
    except Exception as error:  # noqa: BLE001 - numpy raises ValueError, EOFError, SyntaxError, ... on bad headers
        raise WireError(f"an array's .npy header is unreadable ({type(error).__name__})") from None
    if (not isinstance(dtype, np.dtype) or dtype.kind not in ALLOWED_KINDS or dtype.fields is not None
            or dtype.subdtype is not None or dtype.hasobject or dtype.itemsize > 16):
        raise WireError(f"arrays of dtype {str(dtype)[:40]} are not accepted (only bool, integers and floats)")
    if (not isinstance(shape, tuple) or len(shape) > limits.dimensions
            or not all(isinstance(size, int) and 0 <= size <= limits.array_elements for size in shape)):
        raise WireError(f"an array's shape is not accepted (at most {limits.dimensions} dimensions, "
                        f"each at most {limits.array_elements:,})")
    elements = math.prod(shape)
    if elements > limits.array_elements or elements * dtype.itemsize > limits.array_bytes:
        raise WireError(f"an array is too large ({elements:,} elements of {dtype.itemsize} bytes)")
    offset = stream.tell()
    if len(data) - offset != elements * dtype.itemsize:
        raise WireError(f"an array's data is {len(data) - offset:,} bytes, its header says "
                        f"{elements * dtype.itemsize:,}")
    flat = np.frombuffer(data, dtype=dtype, count=elements, offset=offset)
    array = flat.reshape(shape, order="F" if fortran_order else "C")
    return np.array(array, dtype=dtype.newbyteorder("="), order="C", copy=True)


def _array(text, limits):
    if not isinstance(text, str):
        raise WireError("an array must be base64 text")
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        raise WireError("an array is not valid base64") from None
    return read_array(data, limits)


def _restore(value, tensors, limits):
    if isinstance(value, dict):
        if ARRAY_KEY in value:
            if len(value) != 1:
                raise WireError(f"an array is a dict with the one key {ARRAY_KEY!r}")
            array = _array(value[ARRAY_KEY], limits)
            if tensors:
                import torch

                return torch.from_numpy(array)
            return array
        return {key: _restore(item, tensors, limits) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item, tensors, limits) for item in value]
    return value


def decode(text, tensors=False, limits=LIMITS):
    """The value ``encode`` wrote; arrays as numpy arrays, or torch tensors with ``tensors=True``.

    Raises ``WireError`` (and nothing else) for text that breaks ``limits`` or
    is not what ``encode`` writes.
    """
    if limits.scan:
        check_structure(text, limits)
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        raise WireError(f"unreadable data: {type(error).__name__}: {str(error)[:200]}") from None
    try:
        return _restore(value, tensors, limits)
    except WireError:
        raise
    except (ValueError, TypeError, RecursionError, MemoryError) as error:
        raise WireError(f"unreadable data: {type(error).__name__}: {str(error)[:200]}") from None


def decode_line(line, limits=LIMITS):
    """One line of the worker's stream (bytes): a dict, or ``WireError``. Arrays stay base64 text here."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise WireError("a line of results is not UTF-8 text") from None
    check_structure(text, limits)
    try:
        value = json.loads(text)
    except (ValueError, TypeError, RecursionError) as error:
        raise WireError(f"a line of results is not JSON ({type(error).__name__})") from None
    if not isinstance(value, dict):
        raise WireError("a line of results is not a JSON object")
    return value


class Lines:
    """Cuts a byte stream into lines, keeping at most one unfinished line of ``max_line_bytes``.

    ``feed(chunk)`` returns the complete lines in it (bytes, without the
    newline), at most ``max_lines`` in all. Once a line grows past
    ``max_line_bytes`` or more lines come, ``refused`` says so, and nothing
    more is kept or returned.
    """

    def __init__(self, max_lines, max_line_bytes=MAX_LINE_BYTES):
        self.max_lines, self.max_line_bytes = max_lines, max_line_bytes
        self.count = 0
        self.buffer = bytearray()
        self.refused = None

    def _refuse(self, reason):
        self.refused = reason
        self.buffer = bytearray()

    def feed(self, chunk):
        if self.refused:
            return []
        lines, start = [], 0
        self.buffer += chunk
        while True:
            end = self.buffer.find(b"\n", start)
            if end < 0:
                break
            if end - start > self.max_line_bytes:
                self._refuse(f"a line of results is over {self.max_line_bytes:,} bytes")
                return lines
            if self.count >= self.max_lines:
                self._refuse(f"more than {self.max_lines} lines of results came")
                return lines
            self.count += 1
            lines.append(bytes(self.buffer[start:end]))
            start = end + 1
        del self.buffer[:start]
        if len(self.buffer) > self.max_line_bytes:
            self._refuse(f"a line of results is over {self.max_line_bytes:,} bytes")
        return lines
